/**
 * Parallel coordinates: one axis per parameter and one for the objective, a line per
 * complete trial coloured by its value. Categorical parameters map to their choice index.
 */
import type { Data } from 'plotly.js';

import { fromWire } from '../components/format';
import { DistributionJSON, TrialColumns } from '../types';
import { completeRows } from './figures';
import { position } from './pairs';

export interface Dimension {
  label: string;
  values: number[];
  range?: [number, number];
  tickvals?: number[];
  ticktext?: string[];
}

/** More lines than this are drawn as the latest ones: beyond, the plot is a blur and slow. */
export const MAX_PARALLEL_LINES = 2000;

/**
 * The dimensions of the plot over complete trials with a finite objective value (the
 * latest `maxLines` of them), and how many such trials there are in all.
 */
export function parallelDimensions(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  objective: number,
  objectiveName: string,
  maxLines = MAX_PARALLEL_LINES
): Dimension[] & { total?: number } {
  const all = completeRows(trials, [objective]);
  const rows = all.slice(Math.max(0, all.length - maxLines));
  const dims: Dimension[] = Object.entries(distributions).map(([name, d]) => {
    const column = trials.params[name] ?? [];
    const dim: Dimension = {
      label: d.type !== 'categorical' && d.log ? `${name} (log10)` : name,
      values: rows.map(i => position(column[i] ?? null, d))
    };
    if (d.type === 'categorical') {
      dim.tickvals = d.choices.map((_, k) => k);
      dim.ticktext = d.choices.map(c => String(c));
      dim.range = [0, Math.max(1, d.choices.length - 1)];
    }
    return dim;
  });
  dims.push({
    label: objectiveName,
    values: rows.map(i => fromWire(trials.values[i]![objective]))
  });
  return Object.assign(dims, { total: all.length });
}

export function parallelFigure(dims: Dimension[], reverseScale: boolean): Data[] {
  const objective = dims[dims.length - 1];
  return [
    {
      type: 'parcoords',
      dimensions: dims,
      line: {
        color: objective.values,
        colorscale: 'Viridis',
        reversescale: reverseScale,
        showscale: true
      }
    } as unknown as Data
  ];
}
