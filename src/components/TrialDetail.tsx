import React from 'react';

import { TrialRow, trialRow } from '../trials';
import { StudyDetail } from '../types';
import { ArtifactView } from './ArtifactView';
import { formatNumber } from './format';
import { Markdown } from './Markdown';
import { RatingForm } from './RatingForm';

/** Everything about one trial, with the rating form while it runs. */
export function TrialDetail(props: {
  storageId: string;
  study: StudyDetail;
  index: number;
  onRated: (trial: TrialRow) => void;
}): JSX.Element {
  const { study, storageId } = props;
  const trial = trialRow(study.trials, props.index);
  const note = study.trials.notes[String(trial.trialId)];
  const artifacts = study.trials.artifacts[String(trial.trialId)] ?? [];
  const owner = { storageId, studyId: study.study_id, trialId: trial.trialId };
  const names = study.metric_names;
  return (
    <section className="jp-OptunaDashboard-trialDetail" data-trial-number={trial.number}>
      <h3>
        Trial {trial.number} <span className="jp-OptunaDashboard-state">{trial.state}</span>
      </h3>
      {trial.state === 'Running' && study.form_widgets && (
        <RatingForm
          storageId={storageId}
          study={study}
          trial={trial}
          onSubmitted={() => props.onRated(trial)}
        />
      )}
      {note && note.body && <Markdown source={note.body} storageId={storageId} />}
      {artifacts.length > 0 && (
        <div className="jp-OptunaDashboard-artifacts">
          {artifacts.map(a => (
            <ArtifactView key={a.artifact_id} owner={owner} artifact={a} />
          ))}
        </div>
      )}
      <dl className="jp-OptunaDashboard-facts">
        {trial.values && (
          <>
            <dt>{names && names.length ? names.join(', ') : 'Values'}</dt>
            <dd>{trial.values.map(formatNumber).join(', ')}</dd>
          </>
        )}
        {Object.entries(trial.params).map(([k, v]) => (
          <React.Fragment key={`p-${k}`}>
            <dt>{k}</dt>
            <dd>{typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}</dd>
          </React.Fragment>
        ))}
        {Object.entries(trial.userAttrs).map(([k, v]) => (
          <React.Fragment key={`u-${k}`}>
            <dt>{k} (user attr)</dt>
            <dd>{JSON.stringify(v)}</dd>
          </React.Fragment>
        ))}
        {trial.datetimeStart !== null && (
          <>
            <dt>Started</dt>
            <dd>{new Date(trial.datetimeStart).toLocaleString()}</dd>
          </>
        )}
        {trial.datetimeComplete !== null && trial.datetimeStart !== null && (
          <>
            <dt>Duration</dt>
            <dd>{((trial.datetimeComplete - trial.datetimeStart) / 1000).toFixed(1)} s</dd>
          </>
        )}
      </dl>
    </section>
  );
}
