/**
 * Entry of the standalone dashboard page served by `run_server()` and the CLI:
 * the same App as the Lab panel, over plain fetch.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';

import '../style/base.css';
import { ArtifactOwner } from './client';
import { App } from './components/App';
import { HttpClient } from './httpClient';

/** Plain fetch with the page's token; media links carry it in the query. */
class StandaloneClient extends HttpClient {
  constructor(
    apiRoot: string,
    private readonly token: string | null
  ) {
    super(apiRoot, (url, init) => {
      const headers = new Headers(init.headers);
      if (token) {
        headers.set('Authorization', `token ${token}`);
      }
      return fetch(url, { ...init, headers });
    });
  }

  async artifactUrl(owner: ArtifactOwner, artifactId: string): Promise<string> {
    const url = await super.artifactUrl(owner, artifactId);
    return this.token ? `${url}?token=${encodeURIComponent(this.token)}` : url;
  }
}

function mount(): void {
  const element = document.getElementById('jupyterlab-optuna-root');
  if (!element) {
    return;
  }
  const apiRoot = element.dataset.apiRoot ?? 'api/';
  const token = new URLSearchParams(window.location.search).get('token');
  const client = new StandaloneClient(new URL(apiRoot, window.location.href).href, token);
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
