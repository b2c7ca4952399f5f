import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { HttpClient } from './httpClient';

/** The dashboard client of the Lab panel: our API under the Jupyter server's base URL. */
export function labHttpClient(settings: ServerConnection.ISettings): HttpClient {
  return new HttpClient(
    URLExt.join(settings.baseUrl, 'jupyterlab-optuna', 'api', '/'),
    (url, init) => ServerConnection.makeRequest(url, init, settings)
  );
}
