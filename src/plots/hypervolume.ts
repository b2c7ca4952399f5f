/**
 * The hypervolume of a Pareto front, and its history over a study's trials as
 * `optuna.visualization.plot_hypervolume_history(study, reference_point)` computes it.
 *
 * Notation: every point is a vector to minimize (a maximized objective's values and its
 * reference coordinate are negated, as optuna does). A point p dominates the box between
 * p and the reference point r; the hypervolume of a set of points is the volume of the
 * union of their boxes. Two objectives: one sweep over the points sorted by the first
 * objective. Three and more: WFG (While, Bradstreet and Barone, "A Fast Way of Calculating
 * Exact Hypervolumes", 2012): the volume is the sum over the points of each one's volume
 * not covered by the points after it, and that uncovered part is the point's box minus
 * the hypervolume of the others limited to the box, computed the same way, recursively.
 * Both are exact (up to floating-point rounding).
 */
import { fromWire } from '../components/format';
import { Direction, TrialColumns } from '../types';

/** The volume of the box between `p` and `reference` (0 when p is beyond it anywhere). */
function boxVolume(p: number[], reference: number[]): number {
  let volume = 1;
  for (let k = 0; k < p.length; k++) {
    volume *= Math.max(0, reference[k] - p[k]);
  }
  return volume;
}

/** Whether `a` is as good as `b` in every objective (minimizing). */
function weaklyDominates(a: number[], b: number[]): boolean {
  return a.every((v, k) => v <= b[k]);
}

/** The points no other point weakly dominates (one of equal points is kept). */
export function nonDominated(points: number[][]): number[][] {
  const kept: number[][] = [];
  for (const p of points) {
    if (kept.some(q => weaklyDominates(q, p))) {
      continue;
    }
    for (let i = kept.length - 1; i >= 0; i--) {
      if (weaklyDominates(p, kept[i])) {
        kept.splice(i, 1);
      }
    }
    kept.push(p);
  }
  return kept;
}

/** Two objectives: the staircase of the points sorted by the first objective. */
function sweep2d(points: number[][], reference: number[]): number {
  const sorted = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let volume = 0;
  let ceiling = reference[1];
  for (const [x, y] of sorted) {
    if (y < ceiling) {
      volume += (reference[0] - x) * (ceiling - y);
      ceiling = y;
    }
  }
  return volume;
}

/** WFG over points all within the reference point and none dominating another. */
function wfg(points: number[][], reference: number[]): number {
  if (points.length === 0) {
    return 0;
  }
  if (points.length === 1) {
    return boxVolume(points[0], reference);
  }
  if (reference.length === 2) {
    return sweep2d(points, reference);
  }
  // Worst first in the last objective: the limit sets of the points after it stay small.
  const sorted = points.slice().sort((a, b) => b[b.length - 1] - a[a.length - 1]);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    const limited = sorted.slice(i + 1).map(q => q.map((v, k) => Math.max(v, p[k])));
    volume += boxVolume(p, reference) - wfg(nonDominated(limited), reference);
  }
  return volume;
}

/**
 * The hypervolume of `points` (minimized objectives) with respect to `reference`: exact,
 * for any number of objectives. Points beyond the reference point in some objective
 * cover nothing.
 */
export function hypervolume(points: number[][], reference: number[]): number {
  const inside = points.filter(p => p.every((v, k) => v <= reference[k]));
  if (reference.length === 2) {
    return sweep2d(inside, reference);
  }
  return wfg(nonDominated(inside), reference);
}

/** A complete trial as the hypervolume history reads it. */
export interface HypervolumeTrial {
  number: number;
  trialId: number;
  values: number[];
  /** No constraint above 0 (a NaN constraint counts as satisfied, as in optuna's plot). */
  feasible: boolean;
}

/** The complete trials with values, by number (the order optuna's history goes in). */
export function hypervolumeTrials(trials: TrialColumns): HypervolumeTrial[] {
  const out: HypervolumeTrial[] = [];
  for (let i = 0; i < trials.number.length; i++) {
    const values = trials.values[i];
    if (trials.state[i] !== 'Complete' || !values) {
      continue;
    }
    out.push({
      number: trials.number[i],
      trialId: trials.trial_id[i],
      values: values.map(fromWire),
      feasible: !(trials.constraints[i] ?? []).some(c => fromWire(c) > 0)
    });
  }
  return out;
}

/** How far beyond the worst value the default reference point lies, as a share of the range. */
export const REFERENCE_MARGIN = 0.1;

/**
 * The default reference point: each objective's worst value over the complete trials,
 * moved outward (away from the better values) by 10% of the objective's range; by 10% of
 * the value's magnitude when all values are equal (0.1 when they are 0). Null when an
 * objective has no finite value yet.
 */
export function defaultReferencePoint(
  trials: HypervolumeTrial[],
  directions: Direction[]
): number[] | null {
  const point: number[] = [];
  for (let k = 0; k < directions.length; k++) {
    let low = Infinity;
    let high = -Infinity;
    for (const t of trials) {
      const v = t.values[k];
      if (Number.isFinite(v)) {
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
    if (low > high) {
      return null;
    }
    const minimize = directions[k] === 'minimize';
    const worst = minimize ? high : low;
    const range = high - low;
    const margin = REFERENCE_MARGIN * (range > 0 ? range : Math.abs(worst) || 1);
    point.push(minimize ? worst + margin : worst - margin);
  }
  return point;
}

/** The hypervolume after each complete trial, and what extending it needs. */
export interface HypervolumeHistory {
  directions: Direction[];
  /** In the study's directions, as the person gives it to optuna. */
  reference: number[];
  /** The complete trials taken in so far, by id: a later call extends only past them. */
  trialIds: number[];
  numbers: number[];
  values: number[];
  /** The feasible Pareto front so far, minimized, within the reference point. */
  front: number[][];
  /** How many trials the call that returned this history took in (the rest were reused). */
  computed: number;
}

const sameArray = <T>(a: T[], b: T[]) => a.length === b.length && a.every((v, k) => v === b[k]);

/**
 * The hypervolume history of the complete trials `trials` (by number), as optuna's
 * `_get_hypervolume_history_info`: after each trial, the hypervolume of the feasible
 * trials' Pareto front so far (a trial beyond the reference point adds nothing).
 *
 * With `previous` computed for the same directions and reference point over a prefix of
 * `trials`, the curve goes on from its last point: each new trial costs the hypervolume
 * of the front limited to its box, not a recomputation of the whole history. A trial that
 * completed out of order (below the last number taken in) starts it over.
 */
export function hypervolumeHistory(
  trials: HypervolumeTrial[],
  directions: Direction[],
  reference: number[],
  previous: HypervolumeHistory | null = null
): HypervolumeHistory {
  const reusable =
    previous !== null &&
    sameArray(previous.directions, directions) &&
    sameArray(previous.reference, reference) &&
    previous.trialIds.length <= trials.length &&
    previous.trialIds.every((id, k) => trials[k].trialId === id);
  const signs = directions.map(d => (d === 'minimize' ? 1 : -1));
  const limit = reference.map((r, k) => signs[k] * r);
  const history: HypervolumeHistory = reusable
    ? {
        ...previous,
        trialIds: previous.trialIds.slice(),
        numbers: previous.numbers.slice(),
        values: previous.values.slice(),
        computed: 0
      }
    : {
        directions,
        reference,
        trialIds: [],
        numbers: [],
        values: [],
        front: [],
        computed: 0
      };
  let volume = history.values.length > 0 ? history.values[history.values.length - 1] : 0;
  for (let i = history.trialIds.length; i < trials.length; i++) {
    const t = trials[i];
    history.trialIds.push(t.trialId);
    history.numbers.push(t.number);
    history.computed++;
    const p = t.values.map((v, k) => signs[k] * v);
    const adds =
      t.feasible &&
      !history.front.some(q => weaklyDominates(q, p)) &&
      p.every((v, k) => v <= limit[k]);
    if (adds) {
      // What p adds: its box, less the part of it the front covers already.
      volume += p.reduce((acc, v, k) => acc * (limit[k] - v), 1);
      if (history.front.length > 0) {
        const limited = history.front.map(q => q.map((v, k) => Math.max(v, p[k])));
        volume -= hypervolume(limited, limit);
      }
      history.front = [...history.front.filter(q => q.some((v, k) => v < p[k])), p];
    }
    history.values.push(volume);
  }
  return history;
}
