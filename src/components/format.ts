import { WireFloat } from '../types';

/** A wire float as a JS number (non-finite values travel as strings). */
export function fromWire(v: WireFloat): number {
  if (typeof v === 'number') {
    return v;
  }
  return v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN;
}

/** A compact human-readable number. */
export function formatNumber(v: WireFloat | number): string {
  const n = fromWire(v as WireFloat);
  if (!Number.isFinite(n)) {
    return String(n);
  }
  if (Number.isInteger(n)) {
    return String(n);
  }
  const abs = Math.abs(n);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? n.toExponential(4) : n.toPrecision(6);
}

/**
 * The name of objective `i` of `count`, the same in the trial list, a trial's detail and
 * the plots: its metric name; unnamed, "Value" when it is the only one, else "Objective i"
 * (also when `count` is not given).
 */
export function objectiveName(
  metricNames: string[] | null | undefined,
  i: number,
  count?: number
): string {
  return metricNames?.[i] ?? (count === 1 ? 'Value' : `Objective ${i}`);
}

/** The names of a study's `count` objectives (see objectiveName). */
export function objectiveNames(metricNames: string[] | null | undefined, count: number): string[] {
  return Array.from({ length: count }, (_, i) => objectiveName(metricNames, i, count));
}

/** "1 decision", "2 decisions". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A recorded time (a naive local ISO string, as the history and stamps hold it) for people. */
export function formatStamp(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : date.toLocaleString();
}
