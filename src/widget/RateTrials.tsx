import React from 'react';

import { ErrorBanner } from '../components/ErrorBanner';
import { FeedbackCard } from '../components/preferential/FeedbackCard';
import { isEditing, mayTakeFocus } from '../components/focus';
import { RatingForm } from '../components/RatingForm';
import { useStudy } from '../components/useStudy';
import { answerSummary, ratedRows } from '../answers';
import { trialRow } from '../trials';
import { FeedbackComponent, StudyDetail } from '../types';

export interface RateTrialsProps {
  storageId: string;
  studyId: number;
  layout: 'single' | 'grid';
  /** A user attr naming each trial's artifact to show; the note when null. */
  artifactKey: string | null;
  refreshIntervalMs: number;
}

/** Rows of the running trials, oldest first. */
function runningRows(study: StudyDetail): number[] {
  const rows: number[] = [];
  study.trials.state.forEach((s, i) => s === 'Running' && rows.push(i));
  return rows;
}

/** The rated trials listed under the bar, newest first. */
const RECENT = 3;

/**
 * The running trials with the study's form: one at a time (arrow keys move) or as a
 * grid. Submitting moves on; progress counts the study's rated trials (read from the
 * storage, so a reload keeps the count) and what waits, and the last rated trials show
 * their answers.
 */
export function RateTrials(props: RateTrialsProps): JSX.Element {
  const { study, error, refresh } = useStudy(
    props.storageId,
    props.studyId,
    props.refreshIntervalMs
  );
  const [current, setCurrent] = React.useState<number | null>(null);
  const rootRef = React.useRef<HTMLDivElement>(null);
  const rootId = React.useId();
  if (study === null) {
    return (
      <div className="jp-OptunaDashboard-rate">
        <ErrorBanner message={error} />
        {!error && <div className="jp-OptunaDashboard-loading">Loading trials…</div>}
      </div>
    );
  }
  const rows = runningRows(study);
  const rated = study.form_widgets ? ratedRows(study.form_widgets, study.trials) : [];
  const numbers = rows.map(r => study.trials.number[r]);
  const position = Math.max(0, current === null ? 0 : numbers.indexOf(current));
  const shown = props.layout === 'grid' ? rows : rows.slice(position, position + 1);
  const component: FeedbackComponent = props.artifactKey
    ? { output_type: 'artifact', artifact_key: props.artifactKey }
    : { output_type: 'note' };

  const move = (step: number) => {
    if (numbers.length > 0) {
      setCurrent(numbers[(position + step + numbers.length) % numbers.length]);
    }
  };
  const onSubmitted = (number: number) => {
    // Keep the focus in the widget while the rated trial's form goes away: in a
    // notebook it would fall back to the notebook, where number keys edit cells.
    if (mayTakeFocus(rootRef.current)) {
      rootRef.current?.focus({ preventScroll: true });
    }
    const i = numbers.indexOf(number);
    setCurrent(numbers[i + 1] ?? numbers.find(n => n !== number) ?? null);
    void refresh().then(() => {
      const form = rootRef.current?.querySelector<HTMLElement>('form');
      if (form && mayTakeFocus(form)) {
        form.focus({ preventScroll: true });
      }
    });
  };
  // A click on a card (not on a control) gives its form the keys; in a notebook the
  // click would otherwise leave the focus on the cell, and number keys act on the cell.
  const focusFormOf = (event: React.MouseEvent) => {
    const target = event.target as HTMLElement;
    if (!isEditing(target) && !target.closest('button, a, form')) {
      target
        .closest('.jp-OptunaDashboard-feedbackCard')
        ?.querySelector<HTMLElement>('form')
        ?.focus({ preventScroll: true });
    }
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (props.layout === 'grid' || isEditing(target)) {
      return;
    }
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      move(event.key === 'ArrowRight' ? 1 : -1);
    }
  };

  return (
    <div
      className="jp-OptunaDashboard-rate"
      ref={rootRef}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onClick={focusFormOf}
    >
      <div className="jp-OptunaDashboard-compareBar">
        <h3>{study.study_name}</h3>
        <span
          className="jp-OptunaDashboard-progress"
          title={
            study.form_widgets?.output_type === 'user_attr'
              ? 'Rated: trials of this study holding every answer the form requires'
              : 'Rated: complete trials of this study, whoever rated them'
          }
        >
          {rated.length} rated in this study, {rows.length} waiting
        </span>
        {props.layout === 'single' && rows.length > 1 && (
          <>
            <button className="jp-mod-styled" onClick={() => move(-1)} title="Previous (←)">
              ←
            </button>
            <span className="jp-OptunaDashboard-cardMeta">
              {position + 1} of {rows.length}
            </span>
            <button className="jp-mod-styled" onClick={() => move(1)} title="Next (→)">
              →
            </button>
          </>
        )}
      </div>
      <ErrorBanner message={error} />
      {study.form_widgets && rated.length > 0 && (
        <div className="jp-OptunaDashboard-recentRatings">
          <span id={`${rootId}-recent`}>Last rated:</span>
          <ul aria-labelledby={`${rootId}-recent`}>
            {rated.slice(0, RECENT).map(row => (
              <li key={study.trials.trial_id[row]}>
                Trial {study.trials.number[row]}:{' '}
                <strong>{answerSummary(study.form_widgets!, study.trials, row)}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!study.form_widgets && (
        <div className="jp-OptunaDashboard-error">
          This study has no form to rate with: register one with
          register_objective_form_widgets(study, widgets=[...]).
        </div>
      )}
      {rows.length === 0 && (
        <div className="jp-OptunaDashboard-empty">No running trial is waiting for a rating.</div>
      )}
      <div className={props.layout === 'grid' ? 'jp-OptunaDashboard-feedbackGrid' : ''}>
        {shown.map(row => (
          <FeedbackCard
            key={study.trials.trial_id[row]}
            storageId={props.storageId}
            study={study}
            row={row}
            component={component}
          >
            {study.form_widgets && (
              <RatingForm
                storageId={props.storageId}
                study={study}
                trial={trialRow(study.trials, row)}
                onSubmitted={() => onSubmitted(study.trials.number[row])}
                autoFocus={props.layout === 'single'}
              />
            )}
          </FeedbackCard>
        ))}
      </div>
    </div>
  );
}
