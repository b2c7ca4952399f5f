/**
 * Some of a study's trials as CSV, made in the browser from the trials it holds: the
 * download works the same over HTTP and over a notebook widget's comm. The columns are
 * those of the server's export of a whole study (`_core/export.py`): number, state, one
 * column per objective, start and end times (the browser's local time), `params_<name>`
 * and `user_attrs_<key>`, each set sorted by name.
 */
import { objectiveName } from './components/format';
import { JSONValue, StudyDetail, TrialColumns } from './types';

/** A value as Python's `json.dumps` writes it (the server's export does so). */
function pythonJson(v: JSONValue): string {
  if (Array.isArray(v)) {
    return `[${v.map(pythonJson).join(', ')}]`;
  }
  if (v !== null && typeof v === 'object') {
    const items = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`);
    return `{${items.join(', ')}}`;
  }
  return JSON.stringify(v);
}

function text(v: JSONValue | undefined): string {
  if (v === null || v === undefined) {
    return '';
  }
  if (typeof v === 'boolean') {
    return v ? 'True' : 'False';
  }
  return typeof v === 'object' ? pythonJson(v) : String(v);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch milliseconds as a local ISO time with a space, as Python's `isoformat(sep=" ")`. */
export function localIsoTime(ms: number | null): string {
  if (ms === null) {
    return '';
  }
  const micros = Math.round(ms * 1000);
  const fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  const d = new Date((micros - fraction) / 1000);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date} ${time}${fraction ? `.${pad(fraction, 6)}` : ''}`;
}

/** A field quoted as Python's csv module does by default (only when it must be). */
function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The trials of `numbers` (in the study's order) as CSV text with CRLF line ends. */
export function trialsCsv(
  study: Pick<StudyDetail, 'directions' | 'metric_names'> & { trials: TrialColumns },
  numbers: Iterable<number>
): string {
  const { trials } = study;
  const wanted = new Set(numbers);
  const rows = trials.number.flatMap((n, i) => (wanted.has(n) ? [i] : []));
  const n = study.directions.length;
  const valueColumns = study.metric_names
    ? Array.from({ length: n }, (_, k) => objectiveName(study.metric_names, k))
    : n === 1
      ? ['value']
      : Array.from({ length: n }, (_, k) => `values_${k}`);
  const params = Object.keys(trials.params)
    .filter(p => rows.some(i => trials.params[p][i] !== null && trials.params[p][i] !== undefined))
    .sort();
  const attrs = [...new Set(rows.flatMap(i => Object.keys(trials.user_attrs[i] ?? {})))].sort();
  const header = [
    'number',
    'state',
    ...valueColumns,
    'datetime_start',
    'datetime_complete',
    ...params.map(p => `params_${p}`),
    ...attrs.map(a => `user_attrs_${a}`)
  ];
  const lines = [header];
  for (const i of rows) {
    const values = trials.values[i] ?? new Array(n).fill(null);
    lines.push([
      String(trials.number[i]),
      trials.state[i],
      ...values.map(v => text(v)),
      localIsoTime(trials.datetime_start[i]),
      localIsoTime(trials.datetime_complete[i]),
      ...params.map(p => text(trials.params[p][i])),
      ...attrs.map(a => text(trials.user_attrs[i]?.[a]))
    ]);
  }
  return lines.map(line => line.map(field).join(',') + '\r\n').join('');
}

/** A file name for the CSV of some of a study's trials. */
export function selectionCsvName(studyName: string): string {
  const safe = [...studyName]
    .map(c => ('/\\:*?"<>|'.includes(c) || c < ' ' || c === '\x7f' ? '_' : c))
    .join('');
  return `${safe}-selection.csv`;
}
