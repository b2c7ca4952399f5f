import DOMPurify from 'dompurify';
import React from 'react';

import { ArtifactOwner } from '../client';
import { useClient } from './context';
import { markdownHtml } from './markdownHtml';

/**
 * `get_artifact_path()` writes links as /artifacts/{study_id}/{trial_id}/{artifact_id}
 * (or /artifacts/{study_id}/{artifact_id} for a study's); they are resolved to this
 * dashboard's artifact URLs, which depend on the server's base URL and the storage.
 */
const ARTIFACT_LINK = /^\/artifacts\/(\d+)\/(?:(\d+)\/)?([^/?#]+)$/;

/**
 * Markdown (GFM, highlighted code) rendered without any script: the HTML is sanitized by
 * DOMPurify.
 */
export function Markdown(props: { source: string; storageId: string }): JSX.Element {
  const client = useClient();
  const ref = React.useRef<HTMLDivElement>(null);
  const html = React.useMemo(
    () => DOMPurify.sanitize(markdownHtml(props.source)),
    [props.source]
  );

  React.useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    let cancelled = false;
    const links: [HTMLElement, 'src' | 'href'][] = [
      ...Array.from(element.querySelectorAll('img')).map(e => [e, 'src'] as [HTMLElement, 'src']),
      ...Array.from(element.querySelectorAll('a')).map(e => [e, 'href'] as [HTMLElement, 'href'])
    ];
    for (const [node, attribute] of links) {
      const match = ARTIFACT_LINK.exec(node.getAttribute(attribute) ?? '');
      if (!match) {
        continue;
      }
      const owner: ArtifactOwner = {
        storageId: props.storageId,
        studyId: Number(match[1]),
        trialId: match[2] === undefined ? undefined : Number(match[2])
      };
      void client.artifactUrl(owner, match[3]).then(url => {
        if (!cancelled) {
          node.setAttribute(attribute, url);
        }
      });
    }
    return () => {
      cancelled = true;
    };
  }, [html, client, props.storageId]);

  return (
    <div
      ref={ref}
      className="jp-OptunaDashboard-markdown jp-RenderedHTMLCommon"
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
