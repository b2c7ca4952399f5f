/**
 * Figure builders over the columnar trials: slice, EDF, intermediate values, timeline,
 * Pareto front, hypervolume and terminator improvement. Pure functions (unit-tested); the
 * components only choose options.
 */
import type { Data, Layout } from 'plotly.js';

import { fromWire } from '../components/format';
import { Direction, DistributionJSON, TerminatorImprovement, TrialColumns } from '../types';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

/** Indices of complete trials whose given objectives are all finite. */
export function completeRows(trials: TrialColumns, objectives: number[]): number[] {
  const rows: number[] = [];
  for (let i = 0; i < trials.number.length; i++) {
    const values = trials.values[i];
    if (
      trials.state[i] === 'Complete' &&
      values &&
      objectives.every(k => values[k] !== undefined && Number.isFinite(fromWire(values[k])))
    ) {
      rows.push(i);
    }
  }
  return rows;
}

const value = (trials: TrialColumns, i: number, k: number) => fromWire(trials.values[i]![k]);

export function sliceFigure(
  trials: TrialColumns,
  param: string,
  distribution: DistributionJSON | undefined,
  objective: number,
  objectiveName: string
): Figure {
  const column = trials.params[param] ?? [];
  const rows = completeRows(trials, [objective]).filter(i => column[i] !== null);
  return {
    data: [
      {
        type: rows.length > 5000 ? 'scattergl' : 'scatter',
        mode: 'markers',
        x: rows.map(i => column[i] as number | string),
        y: rows.map(i => value(trials, i, objective)),
        text: rows.map(i => `Trial ${trials.number[i]}`),
        customdata: rows.map(i => trials.number[i]),
        marker: {
          color: rows.map(i => trials.number[i]),
          colorscale: 'Blues',
          showscale: true,
          colorbar: { title: { text: 'Trial' } }
        }
      }
    ],
    layout: {
      title: { text: `Slice: ${param}` },
      xaxis: {
        title: { text: param },
        type: axisType(distribution)
      },
      yaxis: { title: { text: objectiveName } }
    }
  };
}

/** Empirical distribution: the fraction of complete trials at or below each value. */
export function edfPoints(trials: TrialColumns, objective: number): { x: number[]; y: number[] } {
  const x = completeRows(trials, [objective])
    .map(i => value(trials, i, objective))
    .sort((a, b) => a - b);
  return { x, y: x.map((_, k) => (k + 1) / x.length) };
}

export function edfFigure(trials: TrialColumns, objective: number, objectiveName: string): Figure {
  const { x, y } = edfPoints(trials, objective);
  return {
    data: [{ type: 'scatter', mode: 'lines', x, y, line: { shape: 'hv' }, name: objectiveName }],
    layout: {
      title: { text: 'Empirical distribution function' },
      xaxis: { title: { text: objectiveName } },
      yaxis: { title: { text: 'Cumulative probability' }, range: [0, 1.02] }
    }
  };
}

/** Learning curves of the latest trials that reported intermediate values. */
export function intermediateFigure(trials: TrialColumns, maxTrials = 200): Figure {
  const data: Data[] = [];
  for (let i = trials.number.length - 1; i >= 0 && data.length < maxTrials; i--) {
    const iv = trials.intermediate_values[i];
    if (iv) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `Trial ${trials.number[i]}`,
        x: iv[0],
        y: iv[1].map(fromWire),
        marker: { size: 4 },
        opacity: trials.state[i] === 'Pruned' ? 0.4 : 0.9
      });
    }
  }
  return {
    data: data.reverse(),
    layout: {
      title: { text: 'Intermediate values' },
      xaxis: { title: { text: 'Step' } },
      yaxis: { title: { text: 'Intermediate value' } },
      showlegend: data.length <= 20
    }
  };
}

const STATE_COLORS: Record<string, string> = {
  Complete: '#1f77b4',
  Pruned: '#ff7f0e',
  Fail: '#d62728',
  Running: '#2ca02c',
  Waiting: '#7f7f7f'
};

/**
 * One bar per trial from its start to its end (now, while it runs), coloured by state;
 * the latest `maxTrials` trials only, as thousands of bars make an unreadable SVG.
 */
export function timelineFigure(trials: TrialColumns, now: number, maxTrials = 1000): Figure {
  const byState = new Map<string, { y: number[]; base: string[]; x: number[] }>();
  const first = Math.max(0, trials.number.length - maxTrials);
  for (let i = first; i < trials.number.length; i++) {
    const start = trials.datetime_start[i];
    if (start === null) {
      continue;
    }
    const end = trials.datetime_complete[i] ?? now;
    const group = byState.get(trials.state[i]) ?? { y: [], base: [], x: [] };
    group.y.push(trials.number[i]);
    group.base.push(new Date(start).toISOString());
    group.x.push(Math.max(end - start, 1));
    byState.set(trials.state[i], group);
  }
  return {
    data: [...byState].map(([state, g]) => ({
      type: 'bar',
      orientation: 'h',
      name: state,
      y: g.y,
      x: g.x,
      base: g.base,
      marker: { color: STATE_COLORS[state] }
    })) as Data[],
    layout: {
      title: {
        text: first > 0 ? `Timeline (latest ${maxTrials} of ${trials.number.length} trials)` : 'Timeline'
      },
      xaxis: { type: 'date', title: { text: 'Time' } },
      yaxis: { title: { text: 'Trial' } },
      barmode: 'overlay'
    }
  };
}

/** The rows on the Pareto front of two objectives (non-dominated), by one sort. */
export function paretoFront(
  trials: TrialColumns,
  rows: number[],
  objectives: [number, number],
  directions: [Direction, Direction]
): Set<number> {
  const sign = directions.map(d => (d === 'minimize' ? 1 : -1));
  const key = (i: number, k: 0 | 1) => sign[k] * value(trials, i, objectives[k]);
  const sorted = rows.slice().sort((a, b) => key(a, 0) - key(b, 0) || key(a, 1) - key(b, 1));
  const front = new Set<number>();
  let best = Infinity;
  for (const i of sorted) {
    if (key(i, 1) < best) {
      front.add(i);
      best = key(i, 1);
    }
  }
  return front;
}

export function paretoFigure(
  trials: TrialColumns,
  objectives: [number, number],
  directions: [Direction, Direction],
  names: [string, string]
): Figure {
  const rows = completeRows(trials, objectives);
  const front = paretoFront(trials, rows, objectives, directions);
  // A NaN constraint ("nan" on the wire) is not satisfied, as in optuna.
  const feasible = (i: number) => (trials.constraints[i] ?? []).every(c => fromWire(c) <= 0);
  const groups: [string, (i: number) => boolean, string][] = [
    ['Best trials', i => front.has(i) && feasible(i), '#d62728'],
    ['Other trials', i => !front.has(i) && feasible(i), '#1f77b4'],
    ['Infeasible', i => !feasible(i), '#bbbbbb']
  ];
  return {
    data: groups.map(([name, keep, color]) => {
      const picked = rows.filter(keep);
      return {
        type: picked.length > 5000 ? 'scattergl' : 'scatter',
        mode: 'markers',
        name,
        x: picked.map(i => value(trials, i, objectives[0])),
        y: picked.map(i => value(trials, i, objectives[1])),
        text: picked.map(i => `Trial ${trials.number[i]}`),
        marker: { color }
      } as Data;
    }),
    layout: {
      title: { text: 'Pareto front' },
      xaxis: { title: { text: names[0] } },
      yaxis: { title: { text: names[1] } }
    }
  };
}

/** The hypervolume after each complete trial, as optuna's plot_hypervolume_history. */
export function hypervolumeFigure(
  numbers: number[],
  values: number[],
  reference: number[]
): Figure {
  return {
    data: [{ type: 'scatter', mode: 'lines+markers', x: numbers, y: values, name: 'Hypervolume' }],
    layout: {
      title: { text: `Hypervolume history (reference point ${formatPoint(reference)})` },
      xaxis: { title: { text: 'Trial' } },
      yaxis: { title: { text: 'Hypervolume' } }
    }
  };
}

/** `(1.5, -2)`: a point for people, to 6 significant digits. */
export function formatPoint(point: number[]): string {
  const short = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));
  return `(${point.map(short).join(', ')})`;
}

/**
 * optuna.terminator's improvement (the regret bound) at each evaluated trial, and the
 * cross-validation error when there is one, as optuna's plot_terminator_improvement.
 */
export function terminatorFigure(answer: TerminatorImprovement): Figure {
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'Terminator improvement',
      x: answer.trial_numbers,
      y: answer.improvements
    }
  ];
  if (answer.errors !== null) {
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: 'Cross-validation error',
      x: answer.trial_numbers.slice(0, answer.errors.length),
      y: answer.errors
    });
  }
  return {
    data,
    layout: {
      title: { text: 'Terminator improvement' },
      xaxis: { title: { text: 'Trial' } },
      yaxis: { title: { text: 'Improvement' } },
      showlegend: answer.errors !== null
    }
  };
}

/**
 * A parameter against each compared trial's preference score (better minus worse
 * counts): where the person's favourites lie in that parameter.
 */
export function preferenceSliceFigure(
  trials: TrialColumns,
  param: string,
  distribution: DistributionJSON | undefined,
  scores: Map<number, number>
): Figure {
  const column = trials.params[param] ?? [];
  const rows: number[] = [];
  for (let i = 0; i < trials.number.length; i++) {
    if (scores.has(trials.number[i]) && column[i] !== null && column[i] !== undefined) {
      rows.push(i);
    }
  }
  const score = (i: number) => scores.get(trials.number[i])!;
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        x: rows.map(i => column[i] as number | string),
        y: rows.map(score),
        text: rows.map(i => `Trial ${trials.number[i]}`),
        marker: {
          color: rows.map(score),
          colorscale: 'Viridis',
          showscale: true,
          colorbar: { title: { text: 'Score' } }
        }
      }
    ],
    layout: {
      title: { text: `Preferences by ${param}` },
      xaxis: { title: { text: param }, type: axisType(distribution) },
      yaxis: { title: { text: 'Times better − times worse' } }
    }
  };
}

function axisType(distribution: DistributionJSON | undefined): 'category' | 'log' | 'linear' {
  if (distribution?.type === 'categorical') {
    return 'category';
  }
  return distribution && distribution.log ? 'log' : 'linear';
}
