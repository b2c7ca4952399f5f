import { DashboardAPIError, DashboardClient } from './client';
import { Direction, StorageInfo, StudyDetail, StudySummary } from './types';

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

  async request<T>(
    method: string,
    path: string[],
    options: { body?: unknown; query?: Record<string, string | number | boolean> } = {}
  ): Promise<T> {
    const { body, query } = options;
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    const search = query
      ? '?' +
        Object.entries(query)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join('&')
      : '';
    let response: Response;
    try {
      response = await this.fetcher(this.url(...path) + search, init);
    } catch (error) {
      throw new DashboardAPIError(`The server cannot be reached: ${String(error)}`, 0);
    }
    const text = await response.text();
    let data: Record<string, unknown> | null = {};
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (data === null || !response.ok) {
      throw new DashboardAPIError(
        errorText(response, data),
        response.status,
        data ?? {}
      );
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
