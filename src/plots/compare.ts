/**
 * Several studies of one storage side by side: their best-so-far histories and the
 * empirical distributions of their objective values (as optuna.visualization.plot_edf),
 * one colour per study. Pure functions (unit-tested); only studies with the same
 * directions are compared, so "better" means the same on every curve.
 */
import type { Data } from 'plotly.js';

import { fromWire } from '../components/format';
import { Direction, StudySummary, TrialColumns } from '../types';
import { completeRows, Figure } from './figures';
import { bestSoFar, historyPoints } from './history';

/** A study to compare: its name and trials. */
export interface ComparedStudy {
  name: string;
  trials: TrialColumns;
}

/** One colour per study (plotly's default sequence), the same in both figures. */
export const STUDY_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf'
];

const colorOf = (k: number) => STUDY_COLORS[k % STUDY_COLORS.length];

/** Why `study` cannot be compared with those `chosen` already, or null when it can. */
export function cannotCompare(study: StudySummary, chosen: StudySummary[]): string | null {
  if (study.is_preferential) {
    return 'A preferential study has no objective values to compare.';
  }
  const first = chosen.find(s => s.study_id !== study.study_id);
  if (first && !sameDirections(first.directions, study.directions)) {
    return (
      `Its directions (${study.directions.join(', ')}) differ from those of ` +
      `"${first.study_name}" (${first.directions.join(', ')}): a better value is not ` +
      'the same thing in both, so their curves cannot be read together.'
    );
  }
  return null;
}

export function sameDirections(a: Direction[], b: Direction[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/** The finite values of `objective` of a study's complete trials. */
export function objectiveValues(trials: TrialColumns, objective: number): number[] {
  return completeRows(trials, [objective]).map(i => fromWire(trials.values[i]![objective]));
}

/**
 * Empirical distribution functions on one grid, as optuna's plot_edf computes them:
 * `points` values evenly spaced from the smallest to the largest value of all studies,
 * and for each study the fraction of its values at or below each (an empty list for a
 * study without values).
 */
export function edfCurves(series: number[][], points = 100): { x: number[]; y: number[][] } {
  const all = series.flat();
  if (all.length === 0) {
    return { x: [], y: series.map(() => []) };
  }
  let low = Infinity;
  let high = -Infinity;
  for (const v of all) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const x = Array.from({ length: points }, (_, k) =>
    points === 1 ? low : low + ((high - low) * k) / (points - 1)
  );
  const y = series.map(values => {
    if (values.length === 0) {
      return [];
    }
    const sorted = values.slice().sort((a, b) => a - b);
    let at = 0;
    return x.map(v => {
      while (at < sorted.length && sorted[at] <= v) {
        at++;
      }
      return at / sorted.length;
    });
  });
  return { x, y };
}

/** The best value so far of each study by trial number, one line per study. */
export function compareHistoryFigure(
  studies: ComparedStudy[],
  direction: Direction,
  objective: number,
  objectiveName: string
): Figure {
  const data = studies.map((s, k) => {
    const points = historyPoints(s.trials, { objective, xAxis: 'number', includePruned: false });
    return {
      type: 'scatter',
      mode: 'lines',
      name: s.name,
      x: points.map(p => p.x),
      y: bestSoFar(points, direction),
      line: { shape: 'hv', color: colorOf(k) },
      hovertemplate: `${s.name}<br>Trial %{x}: best %{y}<extra></extra>`
    } as Data;
  });
  return {
    data,
    layout: {
      title: { text: 'Optimization history (best value so far)' },
      xaxis: { title: { text: 'Trial' } },
      yaxis: { title: { text: objectiveName } },
      showlegend: true,
      legend: { orientation: 'h', y: -0.2 }
    }
  };
}

/** The empirical distribution of each study's values of `objective`, one line per study. */
export function compareEdfFigure(
  studies: ComparedStudy[],
  objective: number,
  objectiveName: string
): Figure {
  const { x, y } = edfCurves(studies.map(s => objectiveValues(s.trials, objective)));
  return {
    data: studies.map(
      (s, k) =>
        ({
          type: 'scatter',
          mode: 'lines',
          name: s.name,
          x: y[k].length > 0 ? x : [],
          y: y[k],
          line: { color: colorOf(k) }
        }) as Data
    ),
    layout: {
      title: { text: 'Empirical distribution function' },
      xaxis: { title: { text: objectiveName } },
      yaxis: { title: { text: 'Cumulative probability' }, range: [0, 1.02] },
      showlegend: true,
      legend: { orientation: 'h', y: -0.2 }
    }
  };
}
