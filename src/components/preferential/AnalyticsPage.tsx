import React from 'react';

import { decisionsInEffect, preferenceScores, rowsOf } from '../../preference';
import { preferenceSliceFigure } from '../../plots/figures';
import { FigureCard, PlotCard } from '../../plots/PlotCard';
import { PlotlyChart } from '../../plots/PlotlyChart';
import {
  utilityContourFigure,
  utilitySliceFigure,
  utilityTrialsFigure
} from '../../plots/utility';
import { PreferenceUtility, StudyDetail, UtilityModel } from '../../types';
import { errorMessage, useClient } from '../context';
import { ErrorBanner } from '../ErrorBanner';
import { plural } from '../format';
import { Select } from '../Select';
import { FeedbackCard } from './FeedbackCard';

/**
 * What the preferences say: the preference model's utility (fitted on the server), the
 * best trials, and the raw counts of "better" and "worse" per parameter value.
 */
export function AnalyticsPage(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const { study, storageId } = props;
  const preference = study.preference!;
  const best = rowsOf(study.trials, preference.best);
  return (
    <div className="jp-OptunaDashboard-analytics">
      <UtilitySection storageId={storageId} study={study} />
      <h3>Best trials</h3>
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
      <PreferenceCounts study={study} />
    </div>
  );
}

/** The utility, fetched again whenever the preferences, skips or candidates change. */
function UtilitySection(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const client = useClient();
  const { storageId, study } = props;
  const preference = study.preference!;
  const [utility, setUtility] = React.useState<PreferenceUtility | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(true);
  // What the server's answer depends on (preferences recorded from Python have no history
  // entry, but change the best and worse trials).
  const state = JSON.stringify([
    preference.history.filter(h => !h.is_removed).map(h => h.history.id),
    preference.active,
    preference.best,
    preference.worse,
    preference.skipped
  ]);
  React.useEffect(() => {
    let cancelled = false;
    setLoading(true);
    client.getPreferenceUtility(storageId, study.study_id).then(
      r => {
        if (!cancelled) {
          setUtility(r);
          setError(null);
          setLoading(false);
        }
      },
      e => {
        if (!cancelled) {
          setUtility(null); // plots of older preferences would pass for the current ones
          setError(errorMessage(e));
          setLoading(false);
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [client, storageId, study.study_id, state]);
  const model = utility?.model ?? null;
  return (
    <section className="jp-OptunaDashboard-utility" aria-busy={loading}>
      <h3>Preference model</h3>
      <p className="jp-OptunaDashboard-cardMeta">
        {model
          ? `The utility a Gaussian process learnt from ` +
            `${plural(model.n_preferences, 'preference')} among ` +
            `${plural(model.n_compared, 'compared trial')}: higher is preferred (of two ` +
            `trials 1 apart, the better wins about 3 times in 4). Trial ` +
            `${model.recommended} has the highest mean of the compared trials.`
          : 'The utility a Gaussian process learns from your preferences: higher is preferred.'}
      </p>
      <ErrorBanner message={error} />
      {loading && (
        <div className="jp-OptunaDashboard-loading">
          {utility === null ? 'Fitting the preference model…' : 'Updating the model…'}
        </div>
      )}
      {utility !== null && model === null && (
        <div className="jp-OptunaDashboard-empty">{utility.message}</div>
      )}
      {model && <UtilityPlots model={model} />}
    </section>
  );
}

/** The preference model's charts are the dashboard's own. */
const UTILITY_CODE = {
  none:
    "The preference model's utility is the dashboard's own chart: optuna.visualization " +
    'has no function that draws it.'
};

function UtilityPlots(props: { model: UtilityModel }): JSX.Element {
  const { model } = props;
  const trials = React.useMemo(() => utilityTrialsFigure(model.trials), [model.trials]);
  const slices = React.useMemo(
    () =>
      model.slices.map(s => ({ param: s.param, figure: utilitySliceFigure(s, model.recommended) })),
    [model.slices, model.recommended]
  );
  const contour = React.useMemo(() => {
    const c = model.contour;
    const slice = (p: string) => model.slices.find(s => s.param === p);
    const [x, y] = c ? [slice(c.x_param), slice(c.y_param)] : [undefined, undefined];
    return c && x && y ? utilityContourFigure(c, x, y) : null;
  }, [model.contour, model.slices]);
  return (
    <>
      <PlotCard id="utility-trials" code={UTILITY_CODE}>
        <PlotlyChart data={trials.data} layout={trials.layout} height={380} />
      </PlotCard>
      <p className="jp-OptunaDashboard-cardMeta">
        Slices through trial {model.recommended} (dashed), most relevant parameter first; the
        band is ±1 sd, the ticks below are the compared trials.
      </p>
      <div className="jp-OptunaDashboard-utilitySlices">
        {slices.map(s => (
          <PlotCard
            key={s.param}
            id="utility-slice"
            code={UTILITY_CODE}
            attributes={{ 'data-param': s.param }}
          >
            <PlotlyChart data={s.figure.data} layout={s.figure.layout} height={300} />
          </PlotCard>
        ))}
      </div>
      {contour && (
        <PlotCard id="utility-contour" code={UTILITY_CODE}>
          <PlotlyChart data={contour.data} layout={contour.layout} height={420} />
        </PlotCard>
      )}
    </>
  );
}

/** Times better minus times worse of the compared trials along one parameter. */
function PreferenceCounts(props: { study: StudyDetail }): JSX.Element {
  const { study } = props;
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
  if (figure === null) {
    return <></>;
  }
  return (
    <>
      <h3>Preference counts</h3>
      <p className="jp-OptunaDashboard-cardMeta">
        The raw answers, without a model: how often each compared trial was reported better
        minus how often worse.
      </p>
      <label className="jp-OptunaDashboard-plotOptions">
        Parameter{' '}
        <Select value={shown} onChange={e => setParam(e.target.value)}>
          {params.map(p => (
            <option key={p}>{p}</option>
          ))}
        </Select>
      </label>
      <FigureCard
        id="preference-slice"
        figure={figure}
        code={{
          none:
            'The preference counts are the dashboard\'s own chart: optuna.visualization has ' +
            'no function that draws it.'
        }}
      />
    </>
  );
}
