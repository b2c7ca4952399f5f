import React from 'react';

import { formatObjectiveValue } from '../answers';
import { BestKind, BestTrials } from '../best';
import { trialRow } from '../trials';
import { StudyDetail } from '../types';
import { objectiveName } from './format';
import { ParamList } from './ParamList';

/** What the "best" badge of the trial list says, by kind of best trials. */
export const BEST_TITLES: Record<BestKind, string> = {
  single: 'The best trial',
  pareto: 'On the Pareto front: one of the best trials',
  preferred: 'Recommended: reported better, never worse'
};

/** What the card says before any trial qualifies. */
const EMPTY: Record<BestKind, string> = {
  single: 'none yet: it appears here once a trial is complete',
  pareto: 'none yet: they appear here once a trial is complete',
  preferred: 'none yet: trials reported better (and never worse) appear here'
};

/** The preferential study's recommended trials listed by number, at most this many. */
const MAX_LISTED = 8;

/** The study's best trial (or Pareto front, or recommended trials), each a click away. */
export function BestTrialCard(props: {
  study: StudyDetail;
  best: BestTrials;
  /** Opens the trial in the Trials tab. */
  onOpen: (number: number) => void;
}): JSX.Element | null {
  const { study, best } = props;
  if (best.rows.length === 0) {
    // Shown before there is a best trial too, so that the page does not shift when one comes.
    return (
      <section className="jp-OptunaDashboard-bestCard" data-best="none" aria-label="Best trials">
        <h4>{best.kind === 'preferred' ? 'Recommended' : 'Best trial'}</h4>
        <span className="jp-OptunaDashboard-cardMeta">{EMPTY[best.kind]}</span>
      </section>
    );
  }
  const numbers = best.rows.map(i => study.trials.number[i]);
  const open = (n: number) => (
    <button key={n} className="jp-OptunaDashboard-linkButton" onClick={() => props.onOpen(n)}>
      Open trial {n}
    </button>
  );
  let body: React.ReactNode;
  if (best.kind === 'single') {
    const trial = trialRow(study.trials, best.rows[0]);
    const count = study.directions.length;
    body = (
      <>
        <h4>Best trial {trial.number}</h4>
        <span className="jp-OptunaDashboard-bestValue">
          {objectiveName(study.metric_names, 0, count)}{' '}
          <strong>{formatObjectiveValue(study.form_widgets, 0, trial.values![0])}</strong>
        </span>
        <ParamList params={trial.params} />
        {open(trial.number)}
      </>
    );
  } else if (best.kind === 'pareto') {
    body = (
      <>
        <h4>Best trials</h4>
        <span className="jp-OptunaDashboard-bestValue">
          <strong>{numbers.length}</strong> on the Pareto front (badged “best” in the list)
        </span>
        {open(numbers[0])}
      </>
    );
  } else {
    body = (
      <>
        <h4>Recommended</h4>
        <span className="jp-OptunaDashboard-bestValue">
          {numbers.length === 1 ? 'trial' : 'trials'}{' '}
          <strong>{numbers.slice(0, MAX_LISTED).join(', ')}</strong>
          {numbers.length > MAX_LISTED ? ` and ${numbers.length - MAX_LISTED} more` : ''}
          {' '}(reported better, never worse)
        </span>
        {numbers.slice(0, 3).map(open)}
      </>
    );
  }
  return (
    <section className="jp-OptunaDashboard-bestCard" data-best={best.kind} aria-label="Best trials">
      {body}
    </section>
  );
}
