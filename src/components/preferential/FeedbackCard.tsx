import React from 'react';

import { cardContent } from '../../preference';
import { trialRow } from '../../trials';
import { FeedbackComponent, StudyDetail } from '../../types';
import { ArtifactThumbnail, ArtifactView } from '../ArtifactView';
import { Markdown } from '../Markdown';
import { ParamList } from '../ParamList';

/**
 * What the person judges of the trial in `row`: its note or its artifact, at card size
 * or, with `thumbnail`, small (a lazily loaded image, a note cut to a few lines).
 */
export function FeedbackContent(props: {
  storageId: string;
  study: StudyDetail;
  row: number;
  /** What to show; the study's registered feedback component by default. */
  component?: FeedbackComponent;
  thumbnail?: boolean;
}): JSX.Element {
  const { study, storageId, row, thumbnail } = props;
  const component = props.component ?? study.preference?.component ?? { output_type: 'note' };
  const content = cardContent(study.trials, row, component);
  if (content.kind === 'artifact') {
    const owner = { storageId, studyId: study.study_id, trialId: study.trials.trial_id[row] };
    return thumbnail ? (
      <ArtifactThumbnail owner={owner} artifact={content.artifact} />
    ) : (
      <ArtifactView owner={owner} artifact={content.artifact} />
    );
  }
  if (content.kind === 'note' && content.body) {
    return thumbnail ? (
      <div className="jp-OptunaDashboard-noteThumbnail">
        <Markdown source={content.body} storageId={storageId} />
      </div>
    ) : (
      <Markdown source={content.body} storageId={storageId} />
    );
  }
  const message = content.kind === 'note' ? 'This trial has no note yet.' : content.message;
  return (
    <div className="jp-OptunaDashboard-empty" title={thumbnail ? message : undefined}>
      {thumbnail ? (content.kind === 'note' ? 'No note' : 'No artifact') : message}
    </div>
  );
}

/** One trial as the person judges it: its feedback component, then its params. */
export function FeedbackCard(props: {
  storageId: string;
  study: StudyDetail;
  row: number;
  /** What to show; the study's registered feedback component by default. */
  component?: FeedbackComponent;
  /** Shown in the header: the number key that picks this card. */
  keyHint?: number;
  className?: string;
  children?: React.ReactNode;
  onClick?: () => void;
}): JSX.Element {
  const trial = trialRow(props.study.trials, props.row);
  return (
    <section
      className={`jp-OptunaDashboard-feedbackCard ${props.className ?? ''}`}
      data-trial-number={trial.number}
      onClick={props.onClick}
    >
      <header>
        {props.keyHint !== undefined && (
          <kbd className="jp-OptunaDashboard-keyHint">{props.keyHint}</kbd>
        )}
        Trial {trial.number}
        <span className="jp-OptunaDashboard-state">{trial.state}</span>
      </header>
      <div className="jp-OptunaDashboard-feedbackBody">
        <FeedbackContent
          storageId={props.storageId}
          study={props.study}
          row={props.row}
          component={props.component}
        />
      </div>
      <ParamList params={trial.params} />
      {props.children}
    </section>
  );
}
