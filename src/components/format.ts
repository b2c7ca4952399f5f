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

/** An objective's metric name, or "Objective i" when the study names none. */
export function objectiveName(metricNames: string[] | null | undefined, i: number): string {
  return metricNames?.[i] ?? `Objective ${i}`;
}

/** "1 decision", "2 decisions". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
