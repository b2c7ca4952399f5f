import {
  ArtifactMeta,
  Direction,
  FeedbackComponent,
  JSONValue,
  NoteJSON,
  ParamImportance,
  PreferenceDecision,
  PreferenceUtility,
  StorageInfo,
  StudyDetail,
  StudySummary,
  TerminatorImprovement,
  TrialColumns
} from './types';
import { ChangeListener } from './changeFeed';

/** Where an artifact lives: a study's, or a trial's within it. */
export interface ArtifactOwner {
  storageId: string;
  studyId: number;
  trialId?: number;
}

/** The states a person can give a running trial. */
export type TellState = 'Complete' | 'Fail' | 'Pruned';

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
  /**
   * Hear within a fraction of a second that something in the storage changed (see
   * `changeFeed.ts`), until the returned function is called.
   */
  watchChanges(storageId: string, listener: ChangeListener): () => void;
  tellTrial(
    storageId: string,
    studyId: number,
    trialId: number,
    state: TellState,
    values?: number[]
  ): Promise<TrialColumns>;
  setTrialUserAttrs(
    storageId: string,
    studyId: number,
    trialId: number,
    userAttrs: Record<string, JSONValue>
  ): Promise<void>;
  /** Save a note; `note.version` must be the stored version + 1 (else a 409 error). */
  saveNote(storageId: string, studyId: number, trialId: number | null, note: NoteJSON): Promise<NoteJSON>;
  getParamImportances(
    storageId: string,
    studyId: number,
    objective: number
  ): Promise<ParamImportance[]>;
  /**
   * optuna.terminator's improvement curve at up to `maxPoints` trial numbers (server
   * default 30): the first call starts its computation, each call answers the progress so
   * far; poll until `status` is not "running". One objective only (400 otherwise).
   */
  getTerminatorImprovement(
    storageId: string,
    studyId: number,
    maxPoints?: number
  ): Promise<TerminatorImprovement>;
  /** Record that `clicked` is the worst of `candidates` (409 when one is no longer active). */
  reportWorst(
    storageId: string,
    studyId: number,
    candidates: number[],
    clicked: number
  ): Promise<PreferenceDecision>;
  /** Withdraw (`undo`) or restore (`redo`) a decision by its history id. */
  setDecisionRemoved(
    storageId: string,
    studyId: number,
    decisionId: string,
    removed: boolean
  ): Promise<PreferenceDecision>;
  /**
   * The preference model's posterior of the utility (fitted on the server; 422 when it
   * cannot be, e.g. without the `preferential` extra).
   */
  getPreferenceUtility(storageId: string, studyId: number): Promise<PreferenceUtility>;
  /** Leave a trial out of the comparisons. */
  skipTrial(storageId: string, studyId: number, trialId: number): Promise<void>;
  /**
   * Store what each comparison card shows. With `previous` (what the person saw), a change
   * made by someone else meanwhile is refused (409) instead of overwritten.
   */
  setFeedbackComponent(
    storageId: string,
    studyId: number,
    component: FeedbackComponent,
    previous?: FeedbackComponent
  ): Promise<FeedbackComponent>;
  listArtifacts(owner: ArtifactOwner): Promise<ArtifactMeta[]>;
  uploadArtifact(owner: ArtifactOwner, file: File): Promise<ArtifactMeta>;
  deleteArtifact(owner: ArtifactOwner, artifactId: string): Promise<void>;
  /** A link downloading the trials as CSV, or null where links cannot reach the server. */
  trialsCsvUrl(storageId: string, studyId: number): string | null;
  /** A URL the browser can load the artifact from (an object URL over a comm). */
  artifactUrl(owner: ArtifactOwner, artifactId: string): Promise<string>;
  /** The start of an artifact as text (for previews): at most `maxBytes` bytes. */
  artifactText(owner: ArtifactOwner, artifactId: string, maxBytes: number): Promise<ArtifactText>;
}

export interface ArtifactText {
  text: string;
  /** The artifact is longer than the text. */
  truncated: boolean;
}
