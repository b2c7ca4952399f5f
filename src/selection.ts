/**
 * Trials selected across a study's plots: by brushing ranges on the axes of the parallel
 * coordinate plot, or by a box or lasso on a scatter plot (history, slice). Pure
 * functions over the columnar trials, kept apart from React for unit tests.
 *
 * A brushed range is in the axis's own units, as the parallel coordinate plot places a
 * trial (plots/parallel.ts): a log-scale parameter at log10 of its value, a categorical
 * one at the index of its choice, an objective at its value.
 */
import type { Data } from 'plotly.js';

import { fromWire } from './components/format';
import { completeRows } from './plots/figures';
import { position } from './plots/pairs';
import { isInlineSafe, mediaType } from './artifactTypes';
import { ArtifactMeta, DistributionJSON, TrialColumns } from './types';

/** A closed interval of an axis. */
export type Range = [number, number];

/** The brushed ranges of each axis: a trial on an axis is in when in any of them. */
export interface AxisRanges {
  params: Record<string, Range[]>;
  values: Record<number, Range[]>;
}

export type TrialSelection =
  /** Brushed on the parallel coordinate plot drawn for `objective`. */
  | { kind: 'ranges'; objective: number; ranges: AxisRanges }
  /** Picked by a box or lasso on the scatter plot `source`. */
  | { kind: 'points'; source: string; numbers: number[] };

const isRange = (r: unknown): r is Range =>
  Array.isArray(r) && r.length === 2 && r.every(v => typeof v === 'number' && !Number.isNaN(v));

/**
 * A dimension's `constraintrange` as plotly holds it (none, one `[lo, hi]`, or several),
 * as a list of ranges with `lo <= hi`.
 */
export function toRanges(raw: unknown): Range[] {
  if (isRange(raw)) {
    return [[Math.min(...raw), Math.max(...raw)]];
  }
  if (Array.isArray(raw)) {
    return raw.flatMap(toRanges);
  }
  return [];
}

const CONSTRAINT_KEY = /^dimensions\[(\d+)\]\.constraintrange$/;

/**
 * The brushes a `plotly_restyle` event of a parallel coordinate plot reports, by the
 * dimension's index in the figure's data: `[{"dimensions[i].constraintrange": [ranges]
 * or null}, [trace]]`; an empty list when the brush of that axis was cleared. Other
 * restyles (an axis dragged to a new place) report nothing.
 */
export function constraintUpdates(event: unknown): Map<number, Range[]> {
  const updates = new Map<number, Range[]>();
  const changes: unknown = Array.isArray(event) ? event[0] : null;
  if (typeof changes !== 'object' || changes === null) {
    return updates;
  }
  for (const [key, value] of Object.entries(changes)) {
    const match = CONSTRAINT_KEY.exec(key);
    if (match) {
      updates.set(Number(match[1]), toRanges(value));
    }
  }
  return updates;
}

export const NO_RANGES: AxisRanges = { params: {}, values: {} };

/**
 * `ranges` with the brushes of a parallel coordinate plot changed: its dimensions are the
 * parameters `paramNames`, in order, then the objective `objective`.
 */
export function withConstraints(
  ranges: AxisRanges,
  updates: Map<number, Range[]>,
  paramNames: string[],
  objective: number
): AxisRanges {
  const params = { ...ranges.params };
  const values = { ...ranges.values };
  const set = <K extends string | number>(table: Record<K, Range[]>, key: K, list: Range[]) => {
    if (list.length > 0) {
      table[key] = list;
    } else {
      delete table[key];
    }
  };
  for (const [index, list] of updates) {
    if (index < paramNames.length) {
      set(params, paramNames[index], list);
    } else if (index === paramNames.length) {
      set(values, objective, list);
    }
  }
  return { params, values };
}

export function hasRanges(ranges: AxisRanges): boolean {
  return Object.keys(ranges.params).length > 0 || Object.keys(ranges.values).length > 0;
}

const within = (v: number, ranges: Range[]) =>
  Number.isFinite(v) && ranges.some(([lo, hi]) => lo <= v && v <= hi);

/**
 * The trials (by number, ascending) that a parallel coordinate plot drawn for `objective`
 * keeps with these brushes: complete trials with a finite value of every objective concerned,
 * inside a range of every brushed axis (a trial without a brushed parameter is out).
 */
export function selectByRanges(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  objective: number,
  ranges: AxisRanges
): number[] {
  const objectives = [objective, ...Object.keys(ranges.values).map(Number)];
  const params = Object.entries(ranges.params);
  const values = Object.entries(ranges.values).map(([k, r]) => [Number(k), r] as const);
  return completeRows(trials, [...new Set(objectives)])
    .filter(
      i =>
        params.every(([name, r]) =>
          within(position(trials.params[name]?.[i] ?? null, distributions[name]), r)
        ) &&
        values.every(([k, r]) => within(fromWire(trials.values[i]![k]), r))
    )
    .map(i => trials.number[i]);
}

/** The trials a selection holds (by number, ascending), among those of the study. */
export function selectedNumbers(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  selection: TrialSelection
): number[] {
  if (selection.kind === 'ranges') {
    return selectByRanges(trials, distributions, selection.objective, selection.ranges);
  }
  const present = new Set(trials.number);
  return [...new Set(selection.numbers)].filter(n => present.has(n)).sort((a, b) => a - b);
}

/**
 * The `constraintrange` of each dimension of a parallel coordinate plot (the parameters
 * `paramNames`, then the objective), in plotly's form, to draw the brushes again.
 */
export function constraintRanges(
  ranges: AxisRanges,
  paramNames: string[],
  objective: number
): (Range | Range[] | undefined)[] {
  const lists = [...paramNames.map(p => ranges.params[p]), ranges.values[objective]];
  return lists.map(list => (list === undefined ? undefined : list.length === 1 ? list[0] : list));
}

/**
 * The trial numbers of the points of a `plotly_selected` event (the traces carry them as
 * `customdata`), without repeats, ascending; null for an event without points (a click
 * that ends a selection).
 */
export function pointNumbers(event: unknown): number[] | null {
  const points = (event as { points?: { customdata?: unknown }[] } | null | undefined)?.points;
  if (!Array.isArray(points)) {
    return null;
  }
  const numbers = points
    .map(p => p.customdata)
    .filter((n): n is number => typeof n === 'number' && Number.isInteger(n));
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** How the points of other trials look while some are selected. */
const UNSELECTED_OPACITY = 0.15;

/**
 * The traces with the selected trials' points highlighted and the others dimmed: each
 * marker trace that carries trial numbers as `customdata` gets plotly's `selectedpoints`.
 */
export function highlightSelected(data: Data[], selected: ReadonlySet<number> | null): Data[] {
  if (selected === null) {
    return data;
  }
  return data.map(trace => {
    const t = trace as { mode?: string; customdata?: unknown[] };
    if (!t.mode?.includes('markers') || !Array.isArray(t.customdata)) {
      return trace;
    }
    const indices: number[] = [];
    t.customdata.forEach((n, k) => typeof n === 'number' && selected.has(n) && indices.push(k));
    return {
      ...trace,
      selectedpoints: indices,
      selected: { marker: { opacity: 1 } },
      unselected: { marker: { opacity: UNSELECTED_OPACITY } }
    } as Data;
  });
}

/**
 * Copies of a parallel coordinate plot's dimensions with their brushes (plotly writes a
 * new brush into the dimension objects it is given, so the memoized ones are not given).
 */
export function withBrushes<T extends object>(
  dims: T[],
  constraints: (Range | Range[] | undefined)[]
): (T & { constraintrange?: Range | Range[] })[] {
  return dims.map((d, k) => (constraints[k] ? { ...d, constraintrange: constraints[k] } : { ...d }));
}

/** An image artifact of a selected trial. */
export interface SelectedImage {
  number: number;
  trialId: number;
  artifact: ArtifactMeta;
}

/** The images (shown inline) of the trials `numbers`, in the study's order of trials. */
export function selectedImages(trials: TrialColumns, numbers: ReadonlySet<number>): SelectedImage[] {
  return trials.number.flatMap((number, i) =>
    numbers.has(number)
      ? (trials.artifacts[String(trials.trial_id[i])] ?? [])
          .filter(a => mediaType(a.mimetype).startsWith('image/') && isInlineSafe(a.mimetype))
          .map(artifact => ({ number, trialId: trials.trial_id[i], artifact }))
      : []
  );
}
