import React from 'react';

import { ArtifactOwner } from '../client';
import { ArtifactMeta } from '../types';
import { ArtifactView } from './ArtifactView';
import { ConfirmButton } from './ConfirmButton';
import { ErrorBanner } from './ErrorBanner';
import { errorMessage, useClient } from './context';

/** The artifacts of a study or trial: shown inline, uploaded (picker or drop), deleted. */
export function ArtifactPanel(props: {
  owner: ArtifactOwner;
  artifacts: ArtifactMeta[];
  onChanged: () => void;
  /**
   * Why files cannot be added or deleted here (a finished trial), or undefined. Optuna
   * keeps a trial's artifacts in its system attrs, which are fixed once it finishes.
   */
  readOnly?: string;
}): JSX.Element {
  const client = useClient();
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [dragging, setDragging] = React.useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      props.onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const upload = (files: FileList | null) => {
    if (files && files.length > 0) {
      void run(async () => {
        for (const file of Array.from(files)) {
          await client.uploadArtifact(props.owner, file);
        }
      });
    }
  };

  return (
    <div
      className={'jp-OptunaDashboard-artifactPanel' + (dragging ? ' jp-mod-dropTarget' : '')}
      onDragOver={e => {
        e.preventDefault();
        setDragging(!props.readOnly);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={e => {
        e.preventDefault();
        setDragging(false);
        if (!props.readOnly) {
          upload(e.dataTransfer.files);
        }
      }}
    >
      <div className="jp-OptunaDashboard-artifacts">
        {props.artifacts.map(a => (
          <div key={a.artifact_id} className="jp-OptunaDashboard-artifactItem">
            <ArtifactView owner={props.owner} artifact={a} />
            {!props.readOnly && (
              <ConfirmButton
                className="jp-OptunaDashboard-linkButton"
                label="Delete"
                ariaLabel={`Delete ${a.filename}`}
                question={`Delete ${a.filename}?`}
                onConfirm={() => void run(() => client.deleteArtifact(props.owner, a.artifact_id))}
              />
            )}
          </div>
        ))}
      </div>
      {props.readOnly ? (
        props.artifacts.length === 0 && (
          <div className="jp-OptunaDashboard-cardMeta">{props.readOnly}</div>
        )
      ) : (
        <label className="jp-OptunaDashboard-upload">
          {busy ? 'Uploading…' : 'Upload artifact (or drop files here)'}
          <input
            type="file"
            multiple
            disabled={busy}
            aria-label="Upload artifact"
            onChange={e => {
              upload(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </div>
  );
}
