import React from 'react';

import { errorMessage, useClient } from '../components/context';
import { ErrorBanner } from '../components/ErrorBanner';
import { StudyDetail, TerminatorImprovement } from '../types';
import { terminatorFigure } from './figures';
import { PlotCard } from './PlotCard';
import { OptunaPlot } from './plotCode';
import { PlotlyChart } from './PlotlyChart';

/** How often the progress is asked for while the server computes. */
const POLL_MS = 1000;

/**
 * optuna.terminator's improvement of a one-objective study. Each point fits a Gaussian
 * process on the server, so it is computed only when the person asks; the server works in
 * the background and each poll answers its progress.
 */
export function TerminatorPlot(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const client = useClient();
  const { storageId } = props;
  const studyId = props.study.study_id;
  const [answer, setAnswer] = React.useState<TerminatorImprovement | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  // Each "Compute" click: 0 until the first.
  const [run, setRun] = React.useState(0);

  React.useEffect(() => {
    if (run === 0) {
      return;
    }
    let cancelled = false;
    let timer: number | undefined;
    const poll = () =>
      client.getTerminatorImprovement(storageId, studyId).then(
        a => {
          if (!cancelled) {
            setAnswer(a);
            setError(null);
            if (a.status === 'running') {
              timer = window.setTimeout(poll, POLL_MS);
            }
          }
        },
        e => !cancelled && setError(errorMessage(e))
      );
    void poll();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, storageId, studyId, run]);

  const computing = run > 0 && error === null && (answer === null || answer.status === 'running');
  const figure = React.useMemo(
    () => (answer && answer.improvements.length > 0 ? terminatorFigure(answer) : null),
    [answer]
  );
  const code: OptunaPlot = {
    fn: 'plot_terminator_improvement',
    args: [
      ['plot_error', answer?.errors != null],
      ['improvement_evaluator', { py: 'RegretBoundEvaluator(seed=0)' }]
    ],
    imports: ['from optuna.terminator import RegretBoundEvaluator']
  };
  return (
    <PlotCard id="terminator-improvement" code={code} ariaBusy={computing}>
      <div className="jp-OptunaDashboard-plotOptions">
        <span className="jp-OptunaDashboard-cardMeta">
          Terminator improvement: how much optuna.terminator estimates the best value could
          still improve (its regret bound), after each of up to 30 trials. Each point fits a
          Gaussian process, so it is computed when you ask.
        </span>
        <button
          className="jp-mod-styled"
          disabled={computing}
          onClick={() => {
            setAnswer(null);
            setRun(r => r + 1);
          }}
        >
          {run === 0 ? 'Compute' : 'Compute again'}
        </button>
        {computing && (
          <span className="jp-OptunaDashboard-terminatorProgress" role="status">
            <progress max={answer?.total || 1} value={answer?.done ?? 0} />{' '}
            {answer ? `${answer.done} of ${answer.total} points` : 'Starting…'}
          </span>
        )}
      </div>
      <ErrorBanner message={error} />
      {answer?.status === 'failed' && (
        <div className="jp-OptunaDashboard-error" role="alert">
          {answer.message}
        </div>
      )}
      {answer?.status === 'done' && answer.total === 0 && (
        <div className="jp-OptunaDashboard-empty">No trial is complete yet: nothing to compute.</div>
      )}
      {figure && <PlotlyChart data={figure.data} layout={figure.layout} />}
    </PlotCard>
  );
}
