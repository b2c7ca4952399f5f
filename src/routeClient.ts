import { ArtifactOwner, ArtifactText, DashboardClient, TellState } from './client';
import { ChangeFeed, ChangeListener, ChangeWait } from './changeFeed';
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

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean>;
}

/**
 * The dashboard API's routes as DashboardClient methods; a transport (HTTP, a widget
 * comm) supplies `request` and the ways to load artifacts.
 */
export abstract class RouteClient implements DashboardClient {
  /** Call a route; resolves with its JSON, rejects with a DashboardAPIError. */
  abstract request<T>(method: string, path: string[], options?: RequestOptions): Promise<T>;
  abstract trialsCsvUrl(storageId: string, studyId: number): string | null;
  abstract artifactUrl(owner: ArtifactOwner, artifactId: string): Promise<string>;
  abstract artifactText(
    owner: ArtifactOwner,
    artifactId: string,
    maxBytes: number
  ): Promise<ArtifactText>;

  private changes: ChangeFeed | null = null;

  watchChanges(storageId: string, listener: ChangeListener): () => void {
    this.changes ??= new ChangeFeed((sid, since, timeoutS) =>
      this.request<ChangeWait>('GET', ['storages', sid, 'changes'], {
        query: since === null ? { timeout: timeoutS } : { since, timeout: timeoutS }
      })
    );
    return this.changes.subscribe(storageId, listener);
  }

  async listStorages(): Promise<StorageInfo[]> {
    const r = await this.request<{ storages: StorageInfo[] }>('GET', ['storages']);
    return r.storages;
  }

  openStorage(url: string, artifactDir?: string | null): Promise<StorageInfo> {
    return this.request<StorageInfo>('POST', ['storages'], {
      body: { url, artifact_dir: artifactDir || null }
    });
  }

  async forgetStorage(storageId: string): Promise<void> {
    await this.request('DELETE', ['storages', storageId]);
  }

  async listStudies(storageId: string): Promise<StudySummary[]> {
    const r = await this.request<{ studies: StudySummary[] }>('GET', [
      'storages',
      storageId,
      'studies'
    ]);
    return r.studies;
  }

  async createStudy(
    storageId: string,
    name: string,
    directions: Direction[]
  ): Promise<StudySummary> {
    const r = await this.request<{ study: StudySummary }>(
      'POST',
      ['storages', storageId, 'studies'],
      { body: { study_name: name, directions } }
    );
    return r.study;
  }

  async renameStudy(storageId: string, studyId: number, name: string): Promise<StudySummary> {
    const r = await this.request<{ study: StudySummary }>(
      'POST',
      ['storages', storageId, 'studies', String(studyId), 'rename'],
      { body: { study_name: name } }
    );
    return r.study;
  }

  async deleteStudy(storageId: string, studyId: number, removeArtifacts: boolean): Promise<void> {
    await this.request('DELETE', ['storages', storageId, 'studies', String(studyId)], {
      query: { remove_artifacts: removeArtifacts }
    });
  }

  getStudyDetail(
    storageId: string,
    studyId: number,
    cursor?: { after: number; since: number }
  ): Promise<StudyDetail> {
    return this.request<StudyDetail>(
      'GET',
      ['storages', storageId, 'studies', String(studyId)],
      { query: cursor }
    );
  }
  async tellTrial(
    storageId: string,
    studyId: number,
    trialId: number,
    state: TellState,
    values?: number[]
  ): Promise<TrialColumns> {
    const r = await this.request<{ trial: TrialColumns }>(
      'POST',
      [...trialPath(storageId, studyId, trialId), 'tell'],
      { body: values === undefined ? { state } : { state, values } }
    );
    return r.trial;
  }

  async setTrialUserAttrs(
    storageId: string,
    studyId: number,
    trialId: number,
    userAttrs: Record<string, JSONValue>
  ): Promise<void> {
    await this.request('POST', [...trialPath(storageId, studyId, trialId), 'user-attrs'], {
      body: { user_attrs: userAttrs }
    });
  }

  saveNote(
    storageId: string,
    studyId: number,
    trialId: number | null,
    note: NoteJSON
  ): Promise<NoteJSON> {
    const owner =
      trialId === null
        ? ['storages', storageId, 'studies', String(studyId)]
        : trialPath(storageId, studyId, trialId);
    return this.request<NoteJSON>('PUT', [...owner, 'note'], { body: note });
  }

  async getParamImportances(
    storageId: string,
    studyId: number,
    objective: number
  ): Promise<ParamImportance[]> {
    const r = await this.request<{ importances: ParamImportance[] }>(
      'GET',
      ['storages', storageId, 'studies', String(studyId), 'param-importances'],
      { query: { objective } }
    );
    return r.importances;
  }

  getTerminatorImprovement(
    storageId: string,
    studyId: number,
    maxPoints?: number
  ): Promise<TerminatorImprovement> {
    return this.request<TerminatorImprovement>(
      'GET',
      ['storages', storageId, 'studies', String(studyId), 'terminator'],
      maxPoints === undefined ? {} : { query: { max_points: maxPoints } }
    );
  }

  async reportWorst(
    storageId: string,
    studyId: number,
    candidates: number[],
    clicked: number
  ): Promise<PreferenceDecision> {
    const r = await this.request<{ decision: PreferenceDecision }>(
      'POST',
      [...preferencePath(storageId, studyId), 'decisions'],
      { body: { candidates, clicked } }
    );
    return r.decision;
  }

  async setDecisionRemoved(
    storageId: string,
    studyId: number,
    decisionId: string,
    removed: boolean
  ): Promise<PreferenceDecision> {
    const r = await this.request<{ decision: PreferenceDecision }>('POST', [
      ...preferencePath(storageId, studyId),
      'decisions',
      decisionId,
      removed ? 'undo' : 'redo'
    ]);
    return r.decision;
  }

  getPreferenceUtility(storageId: string, studyId: number): Promise<PreferenceUtility> {
    return this.request<PreferenceUtility>('GET', [
      ...preferencePath(storageId, studyId),
      'utility'
    ]);
  }

  async skipTrial(storageId: string, studyId: number, trialId: number): Promise<void> {
    await this.request('POST', [...trialPath(storageId, studyId, trialId), 'skip']);
  }

  async setFeedbackComponent(
    storageId: string,
    studyId: number,
    component: FeedbackComponent,
    previous?: FeedbackComponent
  ): Promise<FeedbackComponent> {
    const r = await this.request<{ component: FeedbackComponent }>(
      'PUT',
      [...preferencePath(storageId, studyId), 'component'],
      { body: previous ? { ...component, previous } : component }
    );
    return r.component;
  }

  async listArtifacts(owner: ArtifactOwner): Promise<ArtifactMeta[]> {
    const r = await this.request<{ artifacts: ArtifactMeta[] }>('GET', artifactsPath(owner));
    return r.artifacts;
  }

  async uploadArtifact(owner: ArtifactOwner, file: File): Promise<ArtifactMeta> {
    const r = await this.request<{ artifact: ArtifactMeta }>('POST', artifactsPath(owner), {
      body: file,
      query: { filename: file.name }
    });
    return r.artifact;
  }

  async deleteArtifact(owner: ArtifactOwner, artifactId: string): Promise<void> {
    await this.request('DELETE', [...artifactsPath(owner), artifactId]);
  }
}

export function trialPath(storageId: string, studyId: number, trialId: number): string[] {
  return ['storages', storageId, 'studies', String(studyId), 'trials', String(trialId)];
}

export function preferencePath(storageId: string, studyId: number): string[] {
  return ['storages', storageId, 'studies', String(studyId), 'preference'];
}

export function artifactsPath(owner: ArtifactOwner): string[] {
  const study = ['storages', owner.storageId, 'studies', String(owner.studyId)];
  return owner.trialId === undefined
    ? [...study, 'artifacts']
    : [...study, 'trials', String(owner.trialId), 'artifacts'];
}

