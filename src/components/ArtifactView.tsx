import React from 'react';

import { ArtifactOwner } from '../client';
import { ArtifactMeta } from '../types';
import { mediaKind } from '../artifactTypes';
import { errorMessage, useClient } from './context';
import { PreviewKind, Table, delimitedTable, jsonlTable, previewKind } from './preview';

const PREVIEW_BYTES = 256 * 1024;
const PREVIEW_ROWS = 200;

/** The URL the page loads the artifact from, once the client has it (null until then). */
function useArtifactUrl(owner: ArtifactOwner, artifactId: string): string | null {
  const client = useClient();
  const [url, setUrl] = React.useState<string | null>(null);
  React.useEffect(() => {
    let cancelled = false;
    void client.artifactUrl(owner, artifactId).then(u => !cancelled && setUrl(u));
    return () => {
      cancelled = true;
    };
  }, [client, owner.storageId, owner.studyId, owner.trialId, artifactId]);
  return url;
}

/** The button that opens the medium of its figure full size, where a media gallery is. */
function FullSizeButton(props: { filename: string }): JSX.Element {
  return (
    // Shown only where a media gallery opens it (see useMediaGallery).
    <button
      type="button"
      className="jp-OptunaDashboard-mediaOpen"
      data-media-open=""
      aria-label={`Full size: ${props.filename}`}
      title="Full size"
    >
      ⤢
    </button>
  );
}

/**
 * One artifact: images, audio and video play inline, CSV/TSV and JSON Lines show as a
 * table, other text (HTML and SVG too: never rendered) as text; every artifact has a
 * download link, images and videos a full-size button for a media gallery around them.
 */
export function ArtifactView(props: { owner: ArtifactOwner; artifact: ArtifactMeta }): JSX.Element {
  const { owner, artifact } = props;
  const url = useArtifactUrl(owner, artifact.artifact_id);
  const kind = url === null ? null : mediaKind(artifact.mimetype);
  let media: JSX.Element | null = null;
  if (url && kind === 'image') {
    media = <img src={url} alt={artifact.filename} />;
  } else if (url && kind === 'audio') {
    media = <audio controls preload="metadata" src={url} aria-label={artifact.filename} />;
  } else if (url && kind === 'video') {
    media = <video controls preload="metadata" src={url} aria-label={artifact.filename} />;
  } else {
    const preview = previewKind(artifact);
    if (preview) {
      media = <TextPreview owner={owner} artifact={artifact} kind={preview} />;
    }
  }
  return (
    <figure className="jp-OptunaDashboard-artifact" data-artifact-id={artifact.artifact_id}>
      {media}
      <figcaption>
        {url ? (
          <a href={url} download={artifact.filename} target="_blank" rel="noreferrer">
            {artifact.filename}
          </a>
        ) : (
          artifact.filename
        )}
        {(kind === 'image' || kind === 'video') && <FullSizeButton filename={artifact.filename} />}
      </figcaption>
    </figure>
  );
}

/**
 * An artifact small, for lists of many: an image loaded lazily, a video's first frame
 * (with a full-size button where a media gallery is), any other file by its name.
 */
export function ArtifactThumbnail(props: {
  owner: ArtifactOwner;
  artifact: ArtifactMeta;
}): JSX.Element {
  const { owner, artifact } = props;
  const url = useArtifactUrl(owner, artifact.artifact_id);
  const kind = url === null ? null : mediaKind(artifact.mimetype);
  let media: JSX.Element;
  if (url && kind === 'image') {
    media = <img src={url} alt={artifact.filename} loading="lazy" decoding="async" />;
  } else if (url && kind === 'video') {
    media = (
      <>
        <video src={url} preload="metadata" muted aria-label={artifact.filename} />
        <FullSizeButton filename={artifact.filename} />
      </>
    );
  } else {
    media = <span className="jp-OptunaDashboard-thumbnailName">{artifact.filename}</span>;
  }
  return (
    <figure
      className="jp-OptunaDashboard-artifact jp-OptunaDashboard-artifactThumbnail"
      data-artifact-id={artifact.artifact_id}
      title={artifact.filename}
    >
      {media}
    </figure>
  );
}

function TextPreview(props: {
  owner: ArtifactOwner;
  artifact: ArtifactMeta;
  kind: PreviewKind;
}): JSX.Element {
  const client = useClient();
  const { owner, artifact, kind } = props;
  const [content, setContent] = React.useState<{ text: string; truncated: boolean } | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    let cancelled = false;
    client.artifactText(owner, artifact.artifact_id, PREVIEW_BYTES).then(
      c => !cancelled && setContent(c),
      e => !cancelled && setError(errorMessage(e))
    );
    return () => {
      cancelled = true;
    };
  }, [client, owner.storageId, owner.studyId, owner.trialId, artifact.artifact_id]);
  if (error) {
    return <div className="jp-OptunaDashboard-error">No preview: {error}</div>;
  }
  if (content === null) {
    return <div className="jp-OptunaDashboard-empty">Loading preview…</div>;
  }
  let body: JSX.Element;
  let shown = '';
  if (kind === 'text') {
    body = <pre className="jp-OptunaDashboard-textPreview">{content.text}</pre>;
  } else {
    const table =
      kind === 'jsonl'
        ? jsonlTable(content.text, PREVIEW_ROWS)
        : delimitedTable(content.text, kind === 'tsv' ? '\t' : ',', PREVIEW_ROWS);
    body = <PreviewTable table={table} />;
    shown = `${table.rows.length} rows shown`;
  }
  return (
    <div className="jp-OptunaDashboard-preview" data-preview={kind}>
      {body}
      {(content.truncated || shown) && (
        <div className="jp-OptunaDashboard-previewNote">
          {shown}
          {content.truncated && `${shown ? '; ' : ''}preview of the first ${PREVIEW_BYTES / 1024} KB`}
        </div>
      )}
    </div>
  );
}

function PreviewTable(props: { table: Table }): JSX.Element {
  return (
    <div className="jp-OptunaDashboard-tableScroll">
      <table className="jp-OptunaDashboard-previewTable">
        <thead>
          <tr>
            {props.table.columns.map((c, k) => (
              <th key={k}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, k) => (
                <td key={k}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
