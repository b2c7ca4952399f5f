import React from 'react';

import { DashboardAPIError } from '../client';
import { RecentStorage, StorageInfo } from '../types';
import { ErrorBanner } from './ErrorBanner';
import { errorMessage, useClient } from './context';

export interface StoragePickerProps {
  /** Storages used before, most recent first (from the settings). */
  recent: RecentStorage[];
  onOpen: (storage: StorageInfo) => void;
  /** What the form holds at first, e.g. a storage that could not be opened again. */
  initialUrl?: string;
  initialArtifactDir?: string;
  /** Why that storage could not be opened. */
  initialError?: string | null;
  autoOpenSingle?: boolean;
  /** Storage files near the user (SQLite, journal logs), e.g. from JupyterLab's file browser. */
  findStorageFiles?: () => Promise<string[]>;
}

/** A storage's name with the artifact directory it is used with, if any. */
function withArtifacts(name: string, artifactDir: string | null): string {
  return artifactDir ? `${name} (artifacts: ${artifactDir})` : name;
}

/** Choose a storage: a URL or file path, an optional artifact directory, or an open one. */
export function StoragePicker(props: StoragePickerProps): JSX.Element {
  const client = useClient();
  const [url, setUrl] = React.useState(props.initialUrl ?? '');
  const [artifactDir, setArtifactDir] = React.useState(props.initialArtifactDir ?? '');
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(props.initialError ?? null);
  const [open, setOpen] = React.useState<StorageInfo[]>([]);
  const [found, setFound] = React.useState<string[]>([]);

  React.useEffect(() => {
    props.findStorageFiles?.().then(setFound, () => setFound([]));
  }, [props.findStorageFiles]);

  React.useEffect(() => {
    client.listStorages().then(
      storages => {
        setOpen(storages);
        if (props.autoOpenSingle && !props.initialUrl && storages.length === 1) {
          props.onOpen(storages[0]);
        }
      },
      e => {
        setOpen([]);
        // A refused listing (e.g. a page opened without its token) says why here.
        if (e instanceof DashboardAPIError && (e.status === 401 || e.status === 403)) {
          setError(errorMessage(e));
        }
      }
    );
    // The server's storages are listed once, when the picker opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  const submit = async (target: string, dir: string) => {
    if (!target.trim()) {
      setError('Enter a storage URL (e.g. sqlite:///study.db) or the path of a file.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      props.onOpen(await client.openStorage(target.trim(), dir.trim() || null));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="jp-OptunaDashboard-picker">
      <h2>Open an Optuna storage</h2>
      <form
        onSubmit={e => {
          e.preventDefault();
          void submit(url, artifactDir);
        }}
      >
        <label>
          Storage URL or file path
          <input
            className="jp-mod-styled"
            name="storage-url"
            placeholder="sqlite:///study.db, postgresql+psycopg://…, journal.log or grpc://host:port"
            value={url}
            onChange={e => setUrl(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          Artifact directory (optional)
          <input
            className="jp-mod-styled"
            name="artifact-dir"
            placeholder="artifacts"
            value={artifactDir}
            onChange={e => setArtifactDir(e.target.value)}
          />
        </label>
        <button className="jp-mod-styled jp-mod-accept" type="submit" disabled={busy}>
          {busy ? 'Opening…' : 'Open'}
        </button>
      </form>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {open.length > 0 && (
        <section>
          <h3>Open storages</h3>
          <ul className="jp-OptunaDashboard-storageList">
            {open.map(s => (
              <li key={s.storage_id}>
                <button className="jp-OptunaDashboard-linkButton" onClick={() => props.onOpen(s)}>
                  {withArtifacts(s.label || s.url, s.artifact_dir)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {found.length > 0 && (
        <section>
          <h3>Storage files here</h3>
          <ul className="jp-OptunaDashboard-storageList" data-list="found">
            {found.map(f => (
              <li key={f}>
                <button
                  className="jp-OptunaDashboard-linkButton"
                  onClick={() => {
                    setUrl(f);
                    void submit(f, artifactDir);
                  }}
                >
                  {f}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.recent.length > 0 && (
        <section>
          <h3>Recent</h3>
          <ul className="jp-OptunaDashboard-storageList" data-list="recent">
            {props.recent.map(r => (
              <li key={r.url}>
                <button
                  className="jp-OptunaDashboard-linkButton"
                  onClick={() => {
                    setUrl(r.url);
                    setArtifactDir(r.artifactDir ?? '');
                    void submit(r.url, r.artifactDir ?? '');
                  }}
                >
                  {withArtifacts(r.url, r.artifactDir)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
