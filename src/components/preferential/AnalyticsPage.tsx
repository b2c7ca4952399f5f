import React from 'react';

import { decisionsInEffect, preferenceScores, rowsOf } from '../../preference';
import { preferenceSliceFigure } from '../../plots/figures';
import { FigureCard } from '../../plots/StudyPlots';
import { StudyDetail } from '../../types';
import { plural } from '../format';
import { FeedbackCard } from './FeedbackCard';

/** The trials the study recommends, and where the preferred ones lie in each parameter. */
export function AnalyticsPage(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const { study, storageId } = props;
  const preference = study.preference!;
  const params = Object.keys(study.distributions);
  const [param, setParam] = React.useState<string | null>(null);
  const shown = param !== null && params.includes(param) ? param : params[0];
  const scores = React.useMemo(() => preferenceScores(preference.history), [preference.history]);
  const figure = React.useMemo(
    () =>
      shown === undefined
        ? null
        : preferenceSliceFigure(study.trials, shown, study.distributions[shown], scores),
    [study.trials, study.distributions, shown, scores]
  );
  const best = rowsOf(study.trials, preference.best);
  return (
    <div className="jp-OptunaDashboard-analytics">
      <h3>Recommended trials</h3>
      <p className="jp-OptunaDashboard-cardMeta">
        Reported better at least once, never worse and not skipped ({best.length} of{' '}
        {plural(study.n_trials, 'trial')};{' '}
        {plural(decisionsInEffect(preference.history), 'decision')}).
      </p>
      {best.length === 0 ? (
        <div className="jp-OptunaDashboard-empty">None yet: compare some trials first.</div>
      ) : (
        <div className="jp-OptunaDashboard-feedbackGrid">
          {best.map(row => (
            <FeedbackCard
              key={study.trials.trial_id[row]}
              storageId={storageId}
              study={study}
              row={row}
            />
          ))}
        </div>
      )}
      {figure && (
        <>
          <label className="jp-OptunaDashboard-plotOptions">
            Parameter{' '}
            <select value={shown} onChange={e => setParam(e.target.value)}>
              {params.map(p => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
          <FigureCard id="preference-slice" figure={figure} />
        </>
      )}
    </div>
  );
}
