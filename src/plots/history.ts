/**
 * Optimization history: each finished trial's objective value, and the best value so far.
 * Pure data shaping over the columnar trials, kept apart from React for unit tests.
 */
import type { Data, Layout } from 'plotly.js';

import { fromWire, objectiveName } from '../components/format';
import { Direction, TrialColumns } from '../types';

export type HistoryXAxis = 'number' | 'datetime_start' | 'datetime_complete';

export interface HistoryOptions {
  objective: number;
  xAxis: HistoryXAxis;
  logY: boolean;
  includePruned: boolean;
  showBest: boolean;
}

/** The options a person sets on the history plot (the objective is chosen for all plots). */
export const DEFAULT_HISTORY_OPTIONS: Omit<HistoryOptions, 'objective'> = {
  xAxis: 'number',
  logY: false,
  includePruned: false,
  showBest: true
};

/** Above this many points, WebGL traces keep the plot smooth. */
const WEBGL_THRESHOLD = 5000;

export interface HistoryPoint {
  x: number;
  y: number;
  number: number;
}

/** The plotted points (finite values only), ordered by x. */
export function historyPoints(
  trials: TrialColumns,
  options: Pick<HistoryOptions, 'objective' | 'xAxis' | 'includePruned'>
): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  for (let i = 0; i < trials.number.length; i++) {
    const state = trials.state[i];
    if (!(state === 'Complete' || (options.includePruned && state === 'Pruned'))) {
      continue;
    }
    const values = trials.values[i];
    const raw = values?.[options.objective];
    if (raw === undefined) {
      continue;
    }
    const y = fromWire(raw);
    const x = options.xAxis === 'number' ? trials.number[i] : trials[options.xAxis][i];
    if (!Number.isFinite(y) || x === null) {
      continue;
    }
    points.push({ x, y, number: trials.number[i] });
  }
  return points.sort((a, b) => a.x - b.x);
}

/** The best value so far at each point, for one direction. */
export function bestSoFar(points: HistoryPoint[], direction: Direction): number[] {
  const better = direction === 'minimize' ? Math.min : Math.max;
  let best = direction === 'minimize' ? Infinity : -Infinity;
  return points.map(p => (best = better(best, p.y)));
}

export function historyFigure(
  trials: TrialColumns,
  directions: Direction[],
  metricNames: string[] | null,
  options: HistoryOptions
): { data: Data[]; layout: Partial<Layout> } {
  const points = historyPoints(trials, options);
  const type = points.length > WEBGL_THRESHOLD ? 'scattergl' : 'scatter';
  const x = points.map(p => (options.xAxis === 'number' ? p.x : new Date(p.x).toISOString()));
  const name = objectiveName(metricNames, options.objective, directions.length);
  const data: Data[] = [
    {
      type,
      mode: 'markers',
      name,
      x,
      y: points.map(p => p.y),
      text: points.map(p => `Trial ${p.number}`),
      // The trial numbers, for a box or lasso selection of trials (selection.ts).
      customdata: points.map(p => p.number),
      marker: { size: 6 }
    }
  ];
  if (options.showBest && points.length > 0) {
    data.push({
      type,
      mode: 'lines',
      name: 'Best value',
      x,
      y: bestSoFar(points, directions[options.objective] ?? 'minimize'),
      line: { shape: 'hv' }
    });
  }
  const xTitle = { number: 'Trial', datetime_start: 'Start time', datetime_complete: 'Complete time' };
  return {
    data,
    layout: {
      title: { text: 'Optimization history' },
      xaxis: {
        title: { text: xTitle[options.xAxis] },
        type: options.xAxis === 'number' ? 'linear' : 'date',
        // Trial numbers are whole: no ticks at 0.5 while there are only a few trials.
        ...(options.xAxis === 'number' && points.length <= 10 ? { dtick: 1 } : {})
      },
      yaxis: { title: { text: name }, type: options.logY ? 'log' : 'linear' },
      showlegend: true,
      legend: { orientation: 'h', y: -0.2 }
    }
  };
}
