import React from 'react';

import { selectedImages, TrialSelection } from '../../selection';
import { selectionCsvName, trialsCsv } from '../../trialsCsv';
import { StorageInfo, StudyDetail } from '../../types';
import { ArtifactView } from '../ArtifactView';
import { plural } from '../format';
import { useMediaGallery } from '../useMediaGallery';
import { useTrialSelection } from './SelectionContext';

/** Images shown at first, and added by each "Show more". */
const IMAGES_PER_PAGE = 48;

function madeBy(selection: TrialSelection): string {
  return selection.kind === 'ranges'
    ? 'brushed on the parallel coordinate plot'
    : `picked on the ${selection.source} plot`;
}

/** Save text as a file through a link to an object URL (works in a notebook cell too). */
function saveText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * "N of M trials selected": what the plots selected, with a way to clear it, a CSV of the
 * selected trials, and a grid of their images. Nothing while no trial is selected.
 */
export function SelectionBar(props: { storage: StorageInfo; study: StudyDetail }): JSX.Element | null {
  const { study } = props;
  const { selection, numbers, selected, select } = useTrialSelection();
  const [showImages, setShowImages] = React.useState(false);
  const images = React.useMemo(
    () => (selected ? selectedImages(study.trials, selected) : []),
    [study.trials, selected]
  );
  if (!selection || !numbers) {
    return null;
  }
  return (
    <div className="jp-OptunaDashboard-selection" data-selection-count={numbers.length}>
      <div className="jp-OptunaDashboard-selectionBar" role="status">
        <span>
          <strong>
            {numbers.length} of {plural(study.trials.number.length, 'trial')} selected
          </strong>{' '}
          <span className="jp-OptunaDashboard-cardMeta">({madeBy(selection)})</span>
        </span>
        <span aria-hidden="true">—</span>
        <button className="jp-OptunaDashboard-linkButton" onClick={() => select(null)}>
          Clear selection
        </button>
        <button
          className="jp-mod-styled"
          disabled={numbers.length === 0}
          onClick={() =>
            saveText(
              trialsCsv(study, numbers),
              selectionCsvName(study.study_name),
              'text/csv;charset=utf-8'
            )
          }
        >
          Download CSV of the selection
        </button>
        <button
          className="jp-mod-styled"
          aria-expanded={showImages}
          onClick={() => setShowImages(s => !s)}
        >
          {showImages ? 'Hide images' : `Images (${images.length})`}
        </button>
      </div>
      {showImages && (
        <SelectionImages
          storage={props.storage}
          studyId={study.study_id}
          images={images}
        />
      )}
    </div>
  );
}

/** The selected trials' images in a grid; a click shows one at full size. */
function SelectionImages(props: {
  storage: StorageInfo;
  studyId: number;
  images: ReturnType<typeof selectedImages>;
}): JSX.Element {
  const ref = React.useRef<HTMLDivElement>(null);
  const [limit, setLimit] = React.useState(IMAGES_PER_PAGE);
  const gallery = useMediaGallery(ref, {});
  const shown = props.images.slice(0, limit);
  let message: string | null = null;
  if (!props.storage.artifacts) {
    message = 'This storage was opened without an artifact directory: no image can be shown.';
  } else if (props.images.length === 0) {
    message = 'The selected trials have no image artifacts.';
  }
  return (
    <div className="jp-OptunaDashboard-selectionImagesPanel">
      {message && <div className="jp-OptunaDashboard-empty">{message}</div>}
      <div ref={ref} className="jp-OptunaDashboard-selectionImages" aria-label="Images of the selected trials">
        {props.storage.artifacts &&
          shown.map(({ number, trialId, artifact }) => (
            <div
              key={artifact.artifact_id + number}
              className="jp-OptunaDashboard-selectionImage"
              data-trial-number={number}
            >
              <span className="jp-OptunaDashboard-cardMeta">Trial {number}</span>
              <ArtifactView
                owner={{ storageId: props.storage.storage_id, studyId: props.studyId, trialId }}
                artifact={artifact}
              />
            </div>
          ))}
      </div>
      {props.storage.artifacts && props.images.length > limit && (
        <button className="jp-mod-styled" onClick={() => setLimit(l => l + IMAGES_PER_PAGE)}>
          Show more ({props.images.length - limit} left)
        </button>
      )}
      {gallery}
    </div>
  );
}
