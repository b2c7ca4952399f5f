import React from 'react';

import { cardContent } from '../../preference';
import { trialRow } from '../../trials';
import { FeedbackComponent, StudyDetail } from '../../types';
import { ArtifactView } from '../ArtifactView';
import { Markdown } from '../Markdown';

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
  const { study, storageId, row } = props;
  const trial = trialRow(study.trials, row);
  const component = props.component ?? study.preference?.component ?? { output_type: 'note' };
  const content = cardContent(study.trials, row, component);
  const owner = { storageId, studyId: study.study_id, trialId: trial.trialId };
  let body: JSX.Element;
  if (content.kind === 'note') {
    body = content.body ? (
      <Markdown source={content.body} storageId={storageId} />
    ) : (
      <div className="jp-OptunaDashboard-empty">This trial has no note yet.</div>
    );
  } else if (content.kind === 'artifact') {
    body = <ArtifactView owner={owner} artifact={content.artifact} />;
  } else {
    body = <div className="jp-OptunaDashboard-empty">{content.message}</div>;
  }
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
      <div className="jp-OptunaDashboard-feedbackBody">{body}</div>
      <dl className="jp-OptunaDashboard-cardParams">
        {Object.entries(trial.params).map(([k, v]) => (
          <React.Fragment key={k}>
            <dt>{k}</dt>
            <dd>{typeof v === 'number' ? Number(v.toPrecision(4)) : JSON.stringify(v)}</dd>
          </React.Fragment>
        ))}
      </dl>
      {props.children}
    </section>
  );
}
