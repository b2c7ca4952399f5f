/**
 * "Copy as code": the Python that draws a dashboard chart again in a notebook, with
 * `optuna.visualization`. Pure functions (unit-tested); the chart cards only say which
 * function and arguments their chart corresponds to.
 */
import { StorageInfo } from '../types';

/** A Python value: JSON-like data, or source code (`{ py: 'lambda t: …' }`) as it is. */
export type PyValue = null | boolean | number | string | PyValue[] | { py: string };

/** The objective a chart shows, of a study with `count` objectives. */
export interface PlotObjective {
  index: number;
  count: number;
  name: string;
  /** The study has metric names: pass the name on (else optuna's default label stays). */
  named: boolean;
  /**
   * The target is the value negated: for functions that take a target as minimized (the
   * importance evaluators) when the objective is maximized.
   */
  negate?: boolean;
}

/** A call of an `optuna.visualization` function. */
export interface OptunaPlot {
  /** The function, e.g. `plot_slice`. */
  fn: string;
  /** Keyword arguments, in order. */
  args?: [string, PyValue][];
  /** `target=` / `target_name=` for this objective. */
  objective?: PlotObjective;
  /** Import lines the arguments need. */
  imports?: string[];
}

/**
 * What a chart card can copy: an optuna call, or why there is none (the dashboard's own
 * charts, which optuna.visualization has no function for).
 */
export type PlotCode = OptunaPlot | { none: string };

/** Where the charted studies live: the storage (its URL as the server shows it) and names. */
export interface PlotSource {
  storage: Pick<StorageInfo, 'url' | 'kind'>;
  studies: string[];
}

/** A Python literal (JSON's strings, lists and numbers are Python's too). */
export function pyRepr(value: PyValue): string {
  if (value === null) {
    return 'None';
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      return 'float("nan")';
    }
    if (!Number.isFinite(value)) {
      return value > 0 ? 'float("inf")' : '-float("inf")';
    }
    // The shortest form that reads back as the same double (as Python's repr does).
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(pyRepr).join(', ')}]`;
  }
  return value.py;
}

/** How the code opens `storage`: the imports, lines before load_study, and its argument. */
function storageCode(storage: PlotSource['storage']): {
  imports: string[];
  setup: string[];
  arg: string;
} {
  const { url, kind } = storage;
  if (kind === 'journal') {
    return {
      imports: [
        'from optuna.storages import JournalStorage',
        'from optuna.storages.journal import JournalFileBackend'
      ],
      setup: [`storage = JournalStorage(JournalFileBackend(${pyRepr(url)}))`],
      arg: 'storage'
    };
  }
  if (kind === 'grpc') {
    const hostPort = url.replace(/^grpc:\/\//, '');
    const colon = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const port = Number(hostPort.slice(colon + 1));
    return {
      imports: [],
      setup: [`storage = optuna.storages.GrpcStorageProxy(host=${pyRepr(host)}, port=${port})`],
      arg: 'storage'
    };
  }
  // The server masks a password in the URL it shows (and never sends it): say where it goes.
  const masked = /:\*\*\*@/.test(url);
  return {
    imports: [],
    setup: masked ? ['# The password is not shown: put it in place of *** below.'] : [],
    arg: pyRepr(url)
  };
}

/** The keyword arguments of `plot`, its objective's first. */
function keywordArgs(plot: OptunaPlot): string[] {
  const args: string[] = [];
  const o = plot.objective;
  if (o && o.count > 1) {
    args.push(`target=lambda t: ${o.negate ? '-' : ''}t.values[${o.index}]`);
  }
  if (o && (o.count > 1 || o.named)) {
    args.push(`target_name=${pyRepr(o.name)}`);
  }
  for (const [name, value] of plot.args ?? []) {
    args.push(`${name}=${pyRepr(value)}`);
  }
  return args;
}

/** Longer calls are written one argument a line. */
const MAX_LINE = 100;

/**
 * The Python that draws `plot` for the studies of `source`; the call's value is a plotly
 * Figure. An in-memory study exists only in its kernel: the code then uses the study
 * object the person has there, by the name `study`.
 */
export function plotCode(source: PlotSource, plot: OptunaPlot): string {
  const several = source.studies.length > 1;
  const variable = several ? 'studies' : 'study';
  const lines: string[] = [];
  if (source.storage.kind === 'inmemory') {
    lines.push(
      'import optuna',
      ...(plot.imports ?? []),
      several
        ? '# `studies`: a list of the in-memory studies compared (they live in their kernel).'
        : '# `study`: the in-memory study shown (it lives only in its kernel).'
    );
  } else {
    const storage = storageCode(source.storage);
    lines.push('import optuna', ...storage.imports, ...(plot.imports ?? []), ...storage.setup);
    const load = (name: string) =>
      `optuna.load_study(study_name=${pyRepr(name)}, storage=${storage.arg})`;
    if (several) {
      lines.push('studies = [', ...source.studies.map(n => `    ${load(n)},`), ']');
    } else {
      lines.push(`study = ${load(source.studies[0])}`);
    }
  }
  const call = `optuna.visualization.${plot.fn}`;
  const args = [variable, ...keywordArgs(plot)];
  const oneLine = `${call}(${args.join(', ')})`;
  lines.push(
    oneLine.length <= MAX_LINE ? oneLine : `${call}(\n${args.map(a => `    ${a},`).join('\n')}\n)`
  );
  return lines.join('\n') + '\n';
}

/** `target=` … for a chart of `objective` (of the study's `names`), named or not. */
export function plotObjective(
  index: number,
  names: string[],
  metricNames: string[] | null
): PlotObjective {
  return { index, count: names.length, name: names[index], named: metricNames !== null };
}
