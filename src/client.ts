import { Direction, StorageInfo, StudyDetail, StudySummary } from './types';

/** An API error carrying the server's status and its JSON body. */
export class DashboardAPIError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = 'DashboardAPIError';
  }
}

/**
 * How the dashboard reaches its back end. Components receive one through
 * `ClientContext`, so the same views run over HTTP (the Lab panel) and over a
 * widget comm (a notebook cell).
 */
export interface DashboardClient {
  listStorages(): Promise<StorageInfo[]>;
  openStorage(url: string, artifactDir?: string | null): Promise<StorageInfo>;
  forgetStorage(storageId: string): Promise<void>;
  listStudies(storageId: string): Promise<StudySummary[]>;
  createStudy(storageId: string, name: string, directions: Direction[]): Promise<StudySummary>;
  renameStudy(storageId: string, studyId: number, name: string): Promise<StudySummary>;
  deleteStudy(storageId: string, studyId: number, removeArtifacts: boolean): Promise<void>;
  getStudyDetail(
    storageId: string,
    studyId: number,
    cursor?: { after: number; since: number }
  ): Promise<StudyDetail>;
}
