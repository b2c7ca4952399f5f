import { ArtifactOwner, ArtifactText, DashboardAPIError, DashboardClient, TellState } from './client';
import {
  ArtifactMeta,
  Direction,
  FeedbackComponent,
  JSONValue,
  NoteJSON,
  ParamImportance,
  PreferenceDecision,
  StorageInfo,
  StudyDetail,
  StudySummary,
  TrialColumns
} from './types';

/** Sends one HTTP request (JupyterLab's `ServerConnection`, or plain `fetch`). */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/**
 * DashboardClient over HTTP: the Jupyter server extension (through a fetcher
 * that adds the token and XSRF cookie) or the standalone server.
 */
export class HttpClient implements DashboardClient {
  /**
   * @param apiRoot absolute URL of the API root, e.g. `/user/x/jupyterlab-optuna/api/`.
   */
  constructor(
    readonly apiRoot: string,
    private readonly fetcher: Fetcher
  ) {}

  /** The URL of an API path (for links: artifacts, CSV). */
  url(...parts: string[]): string {
    const root = this.apiRoot.endsWith('/') ? this.apiRoot : `${this.apiRoot}/`;
    return root + parts.map(encodeURIComponent).join('/');
  }

  /** A successful response; a network failure or an error status throws. */
  private async fetch(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetcher(url, init);
    } catch (error) {
      throw new DashboardAPIError(`The server cannot be reached: ${String(error)}`, 0);
    }
    if (!response.ok) {
      const data = parseJSON(await response.text());
      throw new DashboardAPIError(errorText(response, data), response.status, data ?? {});
    }
    return response;
  }

  async request<T>(
    method: string,
    path: string[],
    options: { body?: unknown; query?: Record<string, string | number | boolean> } = {}
  ): Promise<T> {
    const { body, query } = options;
    const init: RequestInit = { method };
    if (body instanceof Blob) {
      init.body = body;
      init.headers = { 'Content-Type': body.type || 'application/octet-stream' };
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    const search = query
      ? '?' +
        Object.entries(query)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join('&')
      : '';
    const response = await this.fetch(this.url(...path) + search, init);
    const text = await response.text();
    const data = text ? parseJSON(text) : {};
    if (data === null) {
      throw new DashboardAPIError(errorText(response, data), response.status, {});
    }
    return data as T;
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

  async skipTrial(storageId: string, studyId: number, trialId: number): Promise<void> {
    await this.request('POST', [...trialPath(storageId, studyId, trialId), 'skip']);
  }

  async setFeedbackComponent(
    storageId: string,
    studyId: number,
    component: FeedbackComponent
  ): Promise<FeedbackComponent> {
    const r = await this.request<{ component: FeedbackComponent }>(
      'PUT',
      [...preferencePath(storageId, studyId), 'component'],
      { body: component }
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

  trialsCsvUrl(storageId: string, studyId: number): string {
    return this.url('storages', storageId, 'studies', String(studyId), 'trials.csv');
  }

  /** The download URL; loading it in the page carries the session cookie. */
  async artifactUrl(owner: ArtifactOwner, artifactId: string): Promise<string> {
    return this.url(...artifactsPath(owner), artifactId);
  }

  async artifactText(owner: ArtifactOwner, artifactId: string, maxBytes: number): Promise<ArtifactText> {
    const response = await this.fetch(this.url(...artifactsPath(owner), artifactId), {});
    const blob = await response.blob();
    return { text: await blob.slice(0, maxBytes).text(), truncated: blob.size > maxBytes };
  }
}

function trialPath(storageId: string, studyId: number, trialId: number): string[] {
  return ['storages', storageId, 'studies', String(studyId), 'trials', String(trialId)];
}

function preferencePath(storageId: string, studyId: number): string[] {
  return ['storages', storageId, 'studies', String(studyId), 'preference'];
}

function artifactsPath(owner: ArtifactOwner): string[] {
  const study = ['storages', owner.storageId, 'studies', String(owner.studyId)];
  return owner.trialId === undefined
    ? [...study, 'artifacts']
    : [...study, 'trials', String(owner.trialId), 'artifacts'];
}

function parseJSON(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The message of a failed response: the server's own, or what probably went wrong. */
function errorText(response: Response, data: Record<string, unknown> | null): string {
  if (data && typeof data.message === 'string') {
    return data.message;
  }
  const status = `${response.status} ${response.statusText}`.trim();
  if (response.status === 404) {
    return (
      `The dashboard API is not available (${status}). Is the jupyterlab_optuna server ` +
      'extension enabled? See `jupyter server extension list`.'
    );
  }
  return `The dashboard API answered ${status} without a readable message.`;
}
