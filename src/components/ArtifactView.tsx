import React from 'react';

import { ArtifactOwner } from '../client';
import { ArtifactMeta } from '../types';
import { useClient } from './context';

/** One artifact: images, audio and video play inline; anything else is a download link. */
export function ArtifactView(props: { owner: ArtifactOwner; artifact: ArtifactMeta }): JSX.Element {
  const client = useClient();
  const { owner, artifact } = props;
  const [url, setUrl] = React.useState<string | null>(null);
  React.useEffect(() => {
    let cancelled = false;
    void client.artifactUrl(owner, artifact.artifact_id).then(u => !cancelled && setUrl(u));
    return () => {
      cancelled = true;
    };
  }, [client, owner.storageId, owner.studyId, owner.trialId, artifact.artifact_id]);

  const kind = artifact.mimetype.split('/')[0];
  let media: JSX.Element | null = null;
  if (url && kind === 'image') {
    media = <img src={url} alt={artifact.filename} />;
  } else if (url && kind === 'audio') {
    media = <audio controls src={url} />;
  } else if (url && kind === 'video') {
    media = <video controls src={url} />;
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
      </figcaption>
    </figure>
  );
}
