import React from 'react';

import { formatValues } from '../answers';
import { trialRow } from '../trials';
import { FormWidgets, JSONValue, TrialColumns, TrialState } from '../types';
import { formatNumber, fromWire, objectiveNames } from './format';
import { Select } from './Select';
import { useTrialSelection } from './selection/SelectionContext';

const ROW_HEIGHT = 26;
const OVERSCAN = 10;
const STATES: TrialState[] = ['Running', 'Waiting', 'Complete', 'Pruned', 'Fail'];

type SortKey = 'number' | 'value';

/** Indices of the trials to show, filtered by state and selection, sorted. Pure, for unit tests. */
export function shownTrials(
  trials: TrialColumns,
  states: ReadonlySet<TrialState>,
  sort: SortKey,
  descending: boolean,
  objective = 0,
  /** The trials selected on the plots (by number): only they are shown; null for all. */
  only: ReadonlySet<number> | null = null
): number[] {
  const rows: number[] = [];
  for (let i = 0; i < trials.number.length; i++) {
    if (states.has(trials.state[i]) && (only === null || only.has(trials.number[i]))) {
      rows.push(i);
    }
  }
  const key = (i: number): number => {
    if (sort === 'number') {
      return trials.number[i];
    }
    const v = trials.values[i]?.[objective];
    return v === undefined ? NaN : fromWire(v);
  };
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (Number.isNaN(ka) || Number.isNaN(kb)) {
      return Number.isNaN(ka) ? (Number.isNaN(kb) ? 0 : 1) : -1; // no value: always last
    }
    return descending ? kb - ka : ka - kb;
  });
  return rows;
}

/** Numbers are right-aligned, text left-aligned. */
const NUMBER = 'jp-mod-number';

/** Parameters whose every value is a number. */
function numericParams(trials: TrialColumns): Set<string> {
  const names = new Set<string>();
  for (const [name, column] of Object.entries(trials.params)) {
    if (column.every(v => v === null || typeof v === 'number')) {
      names.add(name);
    }
  }
  return names;
}

function cell(v: JSONValue | null | undefined): string {
  if (v === null || v === undefined) {
    return '';
  }
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/**
 * Every trial of the study in a table that stays smooth at 100,000 rows: only the rows
 * in view are rendered. Filter by state, sort by number or value, click to select.
 */
export function TrialList(props: {
  trials: TrialColumns;
  paramNames: string[];
  /** How many values each complete trial has (the study's directions). */
  objectives: number;
  metricNames: string[] | null;
  /** False for preferential studies, whose values are placeholders. */
  showValues?: boolean;
  /** The study's rating form: its answers are shown by their labels. */
  form?: FormWidgets | null;
  /** Numbers of the best trials (badged), and what the badge says about them. */
  best?: { numbers: ReadonlySet<number>; title: string };
  selected: number | null;
  onSelect: (number: number) => void;
}): JSX.Element {
  const { trials } = props;
  const showValues = props.showValues ?? true;
  const [states, setStates] = React.useState<Set<TrialState>>(() => new Set(STATES));
  const [sort, setSort] = React.useState<SortKey>('number');
  const [descending, setDescending] = React.useState(true);
  const [objective, setObjective] = React.useState(0);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [height, setHeight] = React.useState(480);
  const viewport = React.useRef<HTMLDivElement>(null);

  React.useEffect(() => {
    const element = viewport.current;
    if (!element) {
      return;
    }
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const plotSelection = useTrialSelection().selected;
  const rows = React.useMemo(
    () => shownTrials(trials, states, sort, descending, objective, plotSelection),
    [trials, states, sort, descending, objective, plotSelection]
  );
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const names = objectiveNames(props.metricNames, props.objectives);
  const valueLabel = names.join(', ');
  const numeric = React.useMemo(() => numericParams(trials), [trials]);
  // A trial chosen elsewhere (the best-trial card) is scrolled into view.
  React.useEffect(() => {
    const element = viewport.current;
    const at = rows.findIndex(i => trials.number[i] === props.selected);
    if (!element || at < 0) {
      return;
    }
    const header = element.querySelector('thead')?.clientHeight ?? ROW_HEIGHT;
    const top = at * ROW_HEIGHT;
    const visible = element.clientHeight - header;
    if (top < element.scrollTop || top + ROW_HEIGHT > element.scrollTop + visible) {
      element.scrollTop = Math.max(0, top - visible / 2);
    }
  }, [props.selected]);
  // Arrow keys, Home and End move the selection through the shown rows, in view.
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const at = rows.findIndex(i => trials.number[i] === props.selected);
    const moves: Record<string, number> = {
      ArrowDown: at < 0 ? 0 : at + 1,
      ArrowUp: at < 0 ? 0 : at - 1,
      Home: 0,
      End: rows.length - 1
    };
    const next = moves[event.key];
    if (next === undefined || rows.length === 0) {
      return;
    }
    event.preventDefault();
    const element = event.currentTarget;
    element.dataset.keyboardNav = '';
    const target = Math.min(rows.length - 1, Math.max(0, next));
    props.onSelect(trials.number[rows[target]]);
    const header = element.querySelector('thead')?.clientHeight ?? ROW_HEIGHT;
    const top = target * ROW_HEIGHT;
    if (top < element.scrollTop) {
      element.scrollTop = top;
    } else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight - header) {
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight + header;
    }
  };
  const toggle = (s: TrialState) =>
    setStates(old => {
      const next = new Set(old);
      if (!next.delete(s)) {
        next.add(s);
      }
      return next;
    });

  return (
    <div className="jp-OptunaDashboard-trialList">
      <div className="jp-OptunaDashboard-toolbar">
        {STATES.map(s => (
          <label key={s}>
            <input type="checkbox" checked={states.has(s)} onChange={() => toggle(s)} /> {s}
          </label>
        ))}
        <Select
          aria-label="Sort trials"
          value={`${sort}:${descending ? 'desc' : 'asc'}:${objective}`}
          onChange={e => {
            const [key, order, index] = e.target.value.split(':');
            setSort(key as SortKey);
            setDescending(order === 'desc');
            setObjective(Number(index));
          }}
        >
          <option value="number:desc:0">Newest first</option>
          <option value="number:asc:0">Oldest first</option>
          {showValues &&
            names.flatMap((name, i) => [
              <option key={`${i}:asc`} value={`value:asc:${i}`}>
                {name} ascending
              </option>,
              <option key={`${i}:desc`} value={`value:desc:${i}`}>
                {name} descending
              </option>
            ])}
        </Select>
        <span className="jp-OptunaDashboard-cardMeta">{rows.length} shown</span>
      </div>
      <div
        ref={viewport}
        className="jp-OptunaDashboard-trialViewport"
        tabIndex={0}
        aria-label="Trials (arrow keys move the selection)"
        onKeyDown={onKeyDown}
        onMouseDown={e => delete e.currentTarget.dataset.keyboardNav}
        onScroll={e => setScrollTop(e.currentTarget.scrollTop)}
      >
        <table className="jp-OptunaDashboard-trialTable">
          <thead>
            <tr>
              <th className={NUMBER}>#</th>
              <th>State</th>
              {showValues && <th className={NUMBER}>{valueLabel}</th>}
              {props.paramNames.map(p => (
                <th key={p} className={numeric.has(p) ? NUMBER : undefined}>
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr style={{ height: first * ROW_HEIGHT }} aria-hidden="true" />
            {rows.slice(first, last).map(i => {
              const r = trialRow(trials, i);
              return (
                <tr
                  key={r.number}
                  data-trial-number={r.number}
                  style={{ height: ROW_HEIGHT }}
                  className={r.number === props.selected ? 'jp-mod-selected' : undefined}
                  onClick={() => props.onSelect(r.number)}
                >
                  <td className={NUMBER}>
                    {props.best?.numbers.has(r.number) && (
                      <span className="jp-OptunaDashboard-bestBadge" title={props.best.title}>
                        best
                      </span>
                    )}
                    {r.number}
                  </td>
                  <td>{r.state}</td>
                  {showValues && (
                    <td className={NUMBER}>
                      {r.values ? formatValues(props.form ?? null, r.values) : '—'}
                    </td>
                  )}
                  {props.paramNames.map(p => (
                    <td key={p} className={numeric.has(p) ? NUMBER : undefined}>
                      {cell(r.params[p])}
                    </td>
                  ))}
                </tr>
              );
            })}
            <tr style={{ height: (rows.length - last) * ROW_HEIGHT }} aria-hidden="true" />
          </tbody>
        </table>
      </div>
    </div>
  );
}
