/**
 * Pure helpers over the columnar trial encoding: merging an incremental update
 * into the trials the client holds, and reading one trial as a row.
 */
import { JSONValue, TrialColumns, TrialState, WireFloat } from './types';

/** An empty column set. */
export function emptyColumns(): TrialColumns {
  return {
    number: [],
    trial_id: [],
    state: [],
    values: [],
    datetime_start: [],
    datetime_complete: [],
    params: {},
    intermediate_values: [],
    user_attrs: [],
    constraints: [],
    notes: {},
    raters: {},
    artifacts: {}
  };
}

type RowColumn = Exclude<keyof TrialColumns, 'params' | 'notes' | 'raters' | 'artifacts'>;
const ROW_COLUMNS: RowColumn[] = [
  'number',
  'trial_id',
  'state',
  'values',
  'datetime_start',
  'datetime_complete',
  'intermediate_values',
  'user_attrs',
  'constraints'
];

/**
 * Merge `update` (trials from an incremental poll) into `held`.
 *
 * A trial of `update` replaces the held trial of the same number, or is
 * appended; the result stays sorted by number. Notes and artifacts maps are
 * replaced wholesale (the server always sends them complete). `held` is not
 * modified: the result shares no arrays with it that are changed.
 */
/**
 * Whether an incremental update cannot belong to the held trials: the study has fewer
 * trials than are held, or a held trial number now has another trial id. Then the study
 * was deleted and created again under the same id, and must be loaded anew.
 */
export function isRecreated(held: TrialColumns, heldCount: number, update: TrialColumns, count: number): boolean {
  if (count < heldCount) {
    return true;
  }
  const idOf = new Map<number, number>();
  held.number.forEach((n, i) => idOf.set(n, held.trial_id[i]));
  return update.number.some((n, j) => idOf.has(n) && idOf.get(n) !== update.trial_id[j]);
}

export function mergeTrials(held: TrialColumns, update: TrialColumns): TrialColumns {
  if (changesNothing(held, update)) {
    return held;
  }
  const out: TrialColumns = {
    ...emptyColumns(),
    notes: update.notes,
    raters: update.raters ?? {},
    artifacts: update.artifacts
  };
  for (const c of ROW_COLUMNS) {
    (out[c] as unknown[]) = (held[c] as unknown[]).slice();
  }
  const paramNames = new Set([...Object.keys(held.params), ...Object.keys(update.params)]);
  for (const name of paramNames) {
    out.params[name] = held.params[name]?.slice() ?? new Array(held.number.length).fill(null);
  }
  const indexOf = new Map<number, number>();
  held.number.forEach((n, i) => indexOf.set(n, i));

  let sorted = true;
  for (let j = 0; j < update.number.length; j++) {
    const number = update.number[j];
    let i = indexOf.get(number);
    if (i === undefined) {
      i = out.number.length;
      if (i > 0 && out.number[i - 1] > number) {
        sorted = false;
      }
      indexOf.set(number, i);
    }
    for (const c of ROW_COLUMNS) {
      (out[c] as unknown[])[i] = (update[c] as unknown[])[j];
    }
    for (const name of paramNames) {
      out.params[name][i] = update.params[name]?.[j] ?? null;
    }
  }
  return sorted ? out : sortByNumber(out);
}

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Polls bigger than this are merged without checking whether they change anything. */
const MAX_CHECKED_ROWS = 1000;

/**
 * Whether `update` only repeats what `held` has (a poll re-sends the running trials):
 * then the held columns stay as they are, and nothing drawn from them is recomputed.
 */
function changesNothing(held: TrialColumns, update: TrialColumns): boolean {
  if (
    update.number.length > MAX_CHECKED_ROWS ||
    !sameJSON(held.notes, update.notes) ||
    !sameJSON(held.raters, update.raters ?? {}) ||
    !sameJSON(held.artifacts, update.artifacts)
  ) {
    return false;
  }
  const names = new Set([...Object.keys(held.params), ...Object.keys(update.params)]);
  return update.number.every((number, j) => {
    const i = held.number[number] === number ? number : held.number.indexOf(number);
    return (
      i >= 0 &&
      ROW_COLUMNS.every(c => sameJSON((held[c] as unknown[])[i], (update[c] as unknown[])[j])) &&
      [...names].every(n => sameJSON(held.params[n]?.[i] ?? null, update.params[n]?.[j] ?? null))
    );
  });
}

function sortByNumber(cols: TrialColumns): TrialColumns {
  const order = cols.number.map((_, i) => i).sort((a, b) => cols.number[a] - cols.number[b]);
  const pick = <T>(arr: T[]): T[] => order.map(i => arr[i]);
  const out: TrialColumns = { ...cols, params: {} };
  for (const c of ROW_COLUMNS) {
    (out[c] as unknown[]) = pick(cols[c] as unknown[]);
  }
  for (const [name, column] of Object.entries(cols.params)) {
    out.params[name] = pick(column);
  }
  return out;
}

/** One trial as a plain object (for detail views and tables). */
export interface TrialRow {
  number: number;
  trialId: number;
  state: TrialState;
  values: WireFloat[] | null;
  datetimeStart: number | null;
  datetimeComplete: number | null;
  params: Record<string, JSONValue>;
  userAttrs: Record<string, JSONValue>;
}

export function trialRow(cols: TrialColumns, i: number): TrialRow {
  const params: Record<string, JSONValue> = {};
  for (const [name, column] of Object.entries(cols.params)) {
    const v = column[i];
    if (v !== null && v !== undefined) {
      params[name] = v;
    }
  }
  return {
    number: cols.number[i],
    trialId: cols.trial_id[i],
    state: cols.state[i],
    values: cols.values[i],
    datetimeStart: cols.datetime_start[i],
    datetimeComplete: cols.datetime_complete[i],
    params,
    userAttrs: cols.user_attrs[i] ?? {}
  };
}
