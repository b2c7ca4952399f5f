/**
 * Entry of the standalone dashboard page served by `run_server()`, the CLI and `wsgi()`:
 * the same App as the Lab panel, over plain fetch. The page was reached with the token,
 * which the server traded for an HttpOnly session cookie: no request here carries the
 * token, and writes echo the XSRF cookie in a header.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';

import '../style/base.css';
import { App } from './components/App';
import { readCookie } from './cookie';
import { HttpClient } from './httpClient';

/** Same-origin fetch sending the XSRF cookie's value as `X-XSRFToken`. */
class StandaloneClient extends HttpClient {
  constructor(apiRoot: string, xsrfCookie: string) {
    super(apiRoot, (url, init) => {
      const headers = new Headers(init.headers);
      const xsrf = readCookie(document.cookie, xsrfCookie);
      if (xsrf) {
        headers.set('X-XSRFToken', xsrf);
      }
      return fetch(url, { ...init, headers, credentials: 'same-origin' });
    });
  }
}

function mount(): void {
  const element = document.getElementById('jupyterlab-optuna-root');
  if (!element) {
    return;
  }
  const apiRoot = element.dataset.apiRoot ?? 'api/';
  const client = new StandaloneClient(
    new URL(apiRoot, window.location.href).href,
    element.dataset.xsrfCookie ?? ''
  );
  createRoot(element).render(
    <App
      client={client}
      recentStorages={[]}
      autoOpenSingleStorage
      refreshIntervalMs={5000}
    />
  );
}

mount();
