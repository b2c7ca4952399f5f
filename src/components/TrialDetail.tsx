import React from 'react';

import { formatObjectiveValue, formatUserAttr } from '../answers';
import { TrialRow, trialRow } from '../trials';
import { StudyDetail } from '../types';
import { ArtifactPanel } from './ArtifactPanel';
import { ConfirmButton } from './ConfirmButton';
import { formatStamp, objectiveName } from './format';
import { ErrorBanner } from './ErrorBanner';
import { errorMessage, useClient } from './context';
import { NoteEditor } from './NoteEditor';
import { ParamList } from './ParamList';
import { RatingForm } from './RatingForm';

/** Everything about one trial, with the rating form while it runs. */
export function TrialDetail(props: {
  storageId: string;
  study: StudyDetail;
  index: number;
  onRated: (trial: TrialRow) => void;
  /** Called after the trial changed here (failed, note saved). */
  onChanged: () => void;
}): JSX.Element {
  const client = useClient();
  const [error, setError] = React.useState<string | null>(null);
  const { study, storageId } = props;
  const trial = trialRow(study.trials, props.index);
  const note = study.trials.notes[String(trial.trialId)];
  const rater = study.trials.raters?.[String(trial.trialId)];
  const artifacts = study.trials.artifacts[String(trial.trialId)] ?? [];
  const owner = { storageId, studyId: study.study_id, trialId: trial.trialId };
  return (
    <section className="jp-OptunaDashboard-trialDetail" data-trial-number={trial.number}>
      <h3>
        Trial {trial.number} <span className="jp-OptunaDashboard-state">{trial.state}</span>
      </h3>
      <ParamList params={trial.params} />
      <dl className="jp-OptunaDashboard-facts">
        {trial.values &&
          !study.preference &&
          trial.values.map((v, i) => (
            <React.Fragment key={`v-${i}`}>
              <dt>{objectiveName(study.metric_names, i, study.directions.length)}</dt>
              <dd>{formatObjectiveValue(study.form_widgets, i, v)}</dd>
            </React.Fragment>
          ))}
        {Object.entries(trial.userAttrs).map(([k, v]) => (
          <React.Fragment key={`u-${k}`}>
            <dt>{k} (user attr)</dt>
            <dd>{formatUserAttr(study.form_widgets, k, v)}</dd>
          </React.Fragment>
        ))}
        {trial.datetimeStart !== null && (
          <>
            <dt>Started</dt>
            <dd>{new Date(trial.datetimeStart).toLocaleString()}</dd>
          </>
        )}
        {rater && (
          <>
            <dt>Rated by</dt>
            <dd data-rater={rater.user}>
              {rater.user}, {formatStamp(rater.timestamp)}
            </dd>
          </>
        )}
        {trial.datetimeComplete !== null && trial.datetimeStart !== null && (
          <>
            <dt>Duration</dt>
            <dd>{((trial.datetimeComplete - trial.datetimeStart) / 1000).toFixed(1)} s</dd>
          </>
        )}
      </dl>
      {trial.state === 'Running' && study.form_widgets && (
        <RatingForm
          storageId={storageId}
          study={study}
          trial={trial}
          onSubmitted={() => props.onRated(trial)}
          autoFocus
        />
      )}
      {trial.state === 'Running' && (
        <ConfirmButton
          className="jp-mod-styled jp-OptunaDashboard-failButton"
          label="Fail trial"
          question={`Mark trial ${trial.number} as failed?`}
          onConfirm={() =>
            client
              .tellTrial(storageId, study.study_id, trial.trialId, 'Fail')
              .then(() => props.onRated(trial), e => setError(errorMessage(e)))
          }
        />
      )}
      <ErrorBanner message={error} />
      <NoteEditor
        key={trial.trialId}
        storageId={storageId}
        studyId={study.study_id}
        trialId={trial.trialId}
        note={note ?? { version: 0, body: '' }}
        onSaved={props.onChanged}
      />
      <ArtifactPanel
        owner={owner}
        artifacts={artifacts}
        onChanged={props.onChanged}
        readOnly={
          trial.state === 'Running' || trial.state === 'Waiting'
            ? undefined
            : 'No artifacts. Files can be attached while a trial runs, or to the study.'
        }
      />
    </section>
  );
}
