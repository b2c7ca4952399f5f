/**
 * Entry of the standalone dashboard page served by `run_server()` and the CLI:
 * the same App as the Lab panel, over plain fetch.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';

import '../style/base.css';
import { App } from './components/App';
import { HttpClient } from './httpClient';

function mount(): void {
  const element = document.getElementById('jupyterlab-optuna-root');
  if (!element) {
    return;
  }
  const apiRoot = element.dataset.apiRoot ?? 'api/';
  const token = new URLSearchParams(window.location.search).get('token');
  const client = new HttpClient(new URL(apiRoot, window.location.href).href, (url, init) => {
    const headers = new Headers(init.headers);
    if (token) {
      headers.set('Authorization', `token ${token}`);
    }
    return fetch(url, { ...init, headers });
  });
  createRoot(element).render(
    <App
      client={client}
      recentStorages={[]}
      initialStorage={element.dataset.storage || undefined}
      refreshIntervalMs={5000}
    />
  );
}

mount();
