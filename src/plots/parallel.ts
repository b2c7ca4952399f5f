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

/** The dimensions of the plot over complete trials with a finite objective value. */
export function parallelDimensions(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  objective: number,
  objectiveName: string
): Dimension[] {
  const rows = completeRows(trials, [objective]);
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
  return dims;
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
