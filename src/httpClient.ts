import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { DashboardAPIError, DashboardClient } from './client';
import { Direction, StorageInfo, StudyDetail, StudySummary } from './types';

/** The API root under the server's base URL. */
export const API_ROOT = ['jupyterlab-optuna', 'api'];

/**
 * DashboardClient over the Jupyter server extension: every request goes
 * through `ServerConnection`, so it carries the token and XSRF cookie.
 */
export class HttpClient implements DashboardClient {
  constructor(
    private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** The absolute URL of an API path (for links: artifacts, CSV). */
  url(...parts: string[]): string {
    return URLExt.join(this.settings.baseUrl, ...API_ROOT, ...parts);
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
    let response: Response;
    try {
      const search = query
        ? URLExt.objectToQueryString(
            Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]))
          )
        : '';
      response = await ServerConnection.makeRequest(
        this.url(...path) + search,
        init,
        this.settings
      );
    } catch (error) {
      throw new DashboardAPIError(
        `The Jupyter server cannot be reached: ${String(error)}`,
        0
      );
    }
    const text = await response.text();
    let data: Record<string, unknown> = {};
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = { message: text };
      }
    }
    if (!response.ok) {
      const message =
        typeof data.message === 'string'
          ? data.message
          : `${response.status} ${response.statusText}`;
      throw new DashboardAPIError(message, response.status, data);
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
