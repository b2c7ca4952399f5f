import { ArtifactOwner, ArtifactText, DashboardAPIError } from './client';
import { RequestOptions, RouteClient, artifactsPath } from './routeClient';

/** Sends one HTTP request (JupyterLab's `ServerConnection`, or plain `fetch`). */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/**
 * DashboardClient over HTTP: the Jupyter server extension (through a fetcher
 * that adds the token and XSRF cookie) or the standalone server.
 */
export class HttpClient extends RouteClient {
  /**
   * @param apiRoot absolute URL of the API root, e.g. `/user/x/jupyterlab-optuna/api/`.
   */
  constructor(
    readonly apiRoot: string,
    private readonly fetcher: Fetcher
  ) {
    super();
  }

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

  async request<T>(method: string, path: string[], options: RequestOptions = {}): Promise<T> {
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
