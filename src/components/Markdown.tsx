import DOMPurify from 'dompurify';
import React from 'react';

import { ArtifactOwner } from '../client';
import { errorMessage, useClient } from './context';
import { markdownHtml } from './markdownHtml';

/**
 * `get_artifact_path()` writes links as /artifacts/{study_id}/{trial_id}/{artifact_id}
 * (or /artifacts/{study_id}/{artifact_id} for a study's); they are resolved to this
 * dashboard's artifact URLs, which depend on the server's base URL and the storage.
 */
const ARTIFACT_LINK = /^\/artifacts\/(\d+)\/(?:(\d+)\/)?([^/?#]+)$/;

const HELD = 'data-artifact-src';

/**
 * The HTML with the ``src`` of artifact images moved aside (to ``data-artifact-src``):
 * the browser would request the raw /artifacts/... path, which does not exist, before
 * the link is resolved. Runs before sanitizing (a template's content is inert), so the
 * sanitizer's output is what the page gets.
 */
function holdArtifactImages(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  let held = false;
  template.content.querySelectorAll('img').forEach(img => {
    const src = img.getAttribute('src') ?? '';
    if (ARTIFACT_LINK.test(src)) {
      img.setAttribute(HELD, src);
      img.removeAttribute('src');
      held = true;
    }
  });
  return held ? template.innerHTML : html;
}

/**
 * Markdown (GFM, highlighted code) rendered without any script: the HTML is sanitized by
 * DOMPurify.
 */
export function Markdown(props: { source: string; storageId: string }): JSX.Element {
  const client = useClient();
  const ref = React.useRef<HTMLDivElement>(null);
  const html = React.useMemo(
    () => DOMPurify.sanitize(holdArtifactImages(markdownHtml(props.source))),
    [props.source]
  );

  React.useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    let cancelled = false;
    const links: [HTMLElement, string, 'src' | 'href'][] = [
      ...Array.from(element.querySelectorAll<HTMLElement>(`img[${HELD}]`)).map(
        e => [e, e.getAttribute(HELD) ?? '', 'src'] as [HTMLElement, string, 'src']
      ),
      ...Array.from(element.querySelectorAll('a')).map(
        e => [e, e.getAttribute('href') ?? '', 'href'] as [HTMLElement, string, 'href']
      )
    ];
    for (const [node, link, attribute] of links) {
      const match = ARTIFACT_LINK.exec(link);
      if (!match) {
        continue;
      }
      const owner: ArtifactOwner = {
        storageId: props.storageId,
        studyId: Number(match[1]),
        trialId: match[2] === undefined ? undefined : Number(match[2])
      };
      client.artifactUrl(owner, match[3]).then(
        url => {
          if (!cancelled) {
            node.setAttribute(attribute, url);
          }
        },
        error => {
          if (!cancelled) {
            node.title = `Artifact not available: ${errorMessage(error)}`;
            node.classList.add('jp-OptunaDashboard-missingArtifact');
          }
        }
      );
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
