/**
 * Where the dashboard panel goes in Jupyter Notebook 7. Its tree page keeps its views
 * (files, running sessions, settings) as tabs of one panel, which hosts the dashboard as
 * another tab; its notebook and editor pages show one document and refuse any other
 * main-area widget. From those, the panel opens on the tree page in a new browser tab,
 * asked for by a query parameter that the tree page's plugin reads when it starts.
 */
/** The query parameter asking the tree page to open the dashboard (on a storage). */
export const OPEN_PARAM = 'optuna-dashboard';

/** What a page's query asks the dashboard to open. */
export interface OpenRequest {
  /** A storage URL or file path; null: the storage picker. */
  storage: string | null;
}

/**
 * The tree page of the server at `baseUrl` (absolute, ending in a slash, as
 * `PageConfig.getBaseUrl()` gives it), asked to open the dashboard on `storage`.
 */
export function treePageUrl(baseUrl: string, storage: string | null): string {
  const url = new URL('tree', baseUrl);
  url.searchParams.set(OPEN_PARAM, storage ?? '');
  return url.href;
}

/** The request in a page's query string (`location.search`), or null when it has none. */
export function openRequest(search: string): OpenRequest | null {
  const params = new URLSearchParams(search);
  if (!params.has(OPEN_PARAM)) {
    return null;
  }
  const storage = (params.get(OPEN_PARAM) ?? '').trim();
  return { storage: storage === '' ? null : storage };
}

/** The query string without the request: a reload does not open a second panel. */
export function withoutOpenRequest(search: string): string {
  const params = new URLSearchParams(search);
  params.delete(OPEN_PARAM);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
