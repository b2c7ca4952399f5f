/**
 * The best trials of a study, as optuna names them: `study.best_trial` for one objective,
 * `study.best_trials` (the Pareto front) for several, and for a preferential study the
 * trials the person's choices recommend. Feasible trials only where constraints exist.
 */
import { fromWire } from './components/format';
import { StudyDetail, TrialColumns } from './types';

export type BestKind = 'single' | 'pareto' | 'preferred';

export interface BestTrials {
  kind: BestKind;
  /** Rows (indices into the trial columns), by trial number. */
  rows: number[];
}

/** A complete trial with finite values that meets its constraints (NaN does not, as in optuna). */
function candidate(trials: TrialColumns, i: number, objectives: number): boolean {
  const values = trials.values[i];
  return (
    trials.state[i] === 'Complete' &&
    values !== null &&
    values.length === objectives &&
    values.every(v => !Number.isNaN(fromWire(v))) &&
    (trials.constraints[i] ?? []).every(c => fromWire(c) <= 0)
  );
}

/** Rows of the non-dominated trials among `rows`; `signs` turn every objective into a loss. */
export function paretoRows(trials: TrialColumns, rows: number[], signs: number[]): number[] {
  const loss = (i: number) => signs.map((s, k) => s * fromWire(trials.values[i]![k]));
  const points = rows.map(i => ({ i, p: loss(i) }));
  // In lexicographic order no point is dominated by one after it, so each point needs
  // checking against the front found so far only.
  points.sort((a, b) => {
    for (let k = 0; k < signs.length; k++) {
      if (a.p[k] !== b.p[k]) {
        return a.p[k] - b.p[k];
      }
    }
    return 0;
  });
  const dominates = (a: number[], b: number[]) =>
    a.every((x, k) => x <= b[k]) && a.some((x, k) => x < b[k]);
  const front: { i: number; p: number[] }[] = [];
  for (const point of points) {
    if (!front.some(f => dominates(f.p, point.p))) {
      front.push(point);
    }
  }
  return front.map(f => f.i).sort((a, b) => a - b);
}

/** The study's best trials; `rows` is empty before any trial qualifies. */
export function bestTrials(study: StudyDetail): BestTrials {
  const { trials, directions } = study;
  if (study.preference) {
    const best = new Set(study.preference.best);
    const rows = trials.number.flatMap((n, i) => (best.has(n) ? [i] : []));
    return { kind: 'preferred', rows };
  }
  const n = directions.length;
  const rows = trials.number.flatMap((_, i) => (candidate(trials, i, n) ? [i] : []));
  const signs = directions.map(d => (d === 'minimize' ? 1 : -1));
  if (n > 1) {
    return { kind: 'pareto', rows: paretoRows(trials, rows, signs) };
  }
  let best: number | null = null;
  for (const i of rows) {
    const v = signs[0] * fromWire(trials.values[i]![0]);
    if (best === null || v < signs[0] * fromWire(trials.values[best]![0])) {
      best = i;
    }
  }
  return { kind: 'single', rows: best === null ? [] : [best] };
}
