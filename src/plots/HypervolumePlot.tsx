import React from 'react';

import { StudyDetail } from '../types';
import { formatPoint, hypervolumeFigure } from './figures';
import {
  HypervolumeHistory,
  defaultReferencePoint,
  hypervolumeHistory,
  hypervolumeTrials
} from './hypervolume';
import { PlotCard } from './PlotCard';
import { PlotlyChart } from './PlotlyChart';

/**
 * The hypervolume of the feasible complete trials' Pareto front after each trial, with
 * respect to a reference point the person may type (per objective; an empty box takes
 * the default). Computed here, extended as trials arrive.
 */
export function HypervolumePlot(props: { study: StudyDetail; names: string[] }): JSX.Element {
  const { study, names } = props;
  const trials = React.useMemo(() => hypervolumeTrials(study.trials), [study.trials]);
  const defaults = React.useMemo(
    () => defaultReferencePoint(trials, study.directions),
    [trials, study.directions]
  );
  const [typed, setTyped] = React.useState<string[]>(() => study.directions.map(() => ''));
  const reference = defaults
    ? study.directions.map((_, k) => ((typed[k] ?? '').trim() === '' ? defaults[k] : Number(typed[k])))
    : null;
  const valid = reference !== null && reference.every(Number.isFinite);
  const key = valid ? JSON.stringify(reference) : null;

  // The history of the previous render: new trials extend it instead of starting over.
  const previous = React.useRef<HypervolumeHistory | null>(null);
  const history = React.useMemo(() => {
    if (key === null) {
      return null;
    }
    const h = hypervolumeHistory(trials, study.directions, JSON.parse(key), previous.current);
    previous.current = h;
    return h;
  }, [trials, study.directions, key]);
  const figure = React.useMemo(
    () => (history ? hypervolumeFigure(history.numbers, history.values, history.reference) : null),
    [history]
  );

  const usesDefault = typed.some(t => t.trim() === '');
  return (
    <PlotCard
      id="hypervolume-history"
      code={
        history
          ? { fn: 'plot_hypervolume_history', args: [['reference_point', history.reference]] }
          : { none: 'The hypervolume history needs complete trials and a reference point first.' }
      }
    >
      <div className="jp-OptunaDashboard-plotOptions">
        Reference point
        {study.directions.map((_, k) => (
          <label key={k}>
            {names[k]}{' '}
            <input
              className="jp-OptunaDashboard-referenceInput"
              type="number"
              step="any"
              aria-label={`Reference point of ${names[k]}`}
              placeholder={defaults ? String(defaults[k]) : ''}
              value={typed[k] ?? ''}
              onChange={e => {
                const next = study.directions.map((_, j) => typed[j] ?? '');
                next[k] = e.target.value;
                setTyped(next);
              }}
            />
          </label>
        ))}
      </div>
      <p className="jp-OptunaDashboard-cardMeta" data-reference={key ?? ''}>
        {reference === null
          ? 'The hypervolume history appears once trials are complete.'
          : !valid
            ? 'Type a number for each objective (or leave it empty for the default).'
            : `Reference point ${formatPoint(reference)}` +
              (usesDefault
                ? ': an empty box takes the worst value of its objective over the complete ' +
                  "trials, moved outward by 10% of the objective's range."
                : ', as typed.') +
              ' Trials beyond it, and infeasible or dominated ones, add nothing.'}
      </p>
      {figure && <PlotlyChart data={figure.data} layout={figure.layout} />}
    </PlotCard>
  );
}
