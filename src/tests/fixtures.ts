import { emptyColumns } from '../trials';
import { TrialColumns, TrialState } from '../types';

export interface Row {
  number: number;
  state: TrialState;
  value?: number;
  x?: number;
  y?: number;
}

/** Trials in columns with the parameters `x` and `y`. */
export function columns(rows: Row[]): TrialColumns {
  const c = emptyColumns();
  c.params.x = [];
  c.params.y = [];
  for (const r of rows) {
    c.number.push(r.number);
    c.trial_id.push(r.number + 100);
    c.state.push(r.state);
    c.values.push(r.value === undefined ? null : [r.value]);
    c.datetime_start.push(1000 * r.number);
    c.datetime_complete.push(r.state === 'Running' ? null : 1000 * r.number + 500);
    c.intermediate_values.push(null);
    c.user_attrs.push(null);
    c.constraints.push(null);
    c.params.x.push(r.x ?? null);
    c.params.y.push(r.y ?? null);
  }
  return c;
}
