/**
 * Two-parameter plots: a contour of the objective over a grid, and the trials of the pair
 * coloured by the rank of their value. Both place a trial by its parameters on axes that
 * follow the distributions (log axes, categorical choices as positions).
 */
import type { Data, Layout } from 'plotly.js';

import { fromWire } from '../components/format';
import { Direction, DistributionJSON, JSONValue, TrialColumns } from '../types';
import { Figure, completeRows } from './figures';

/** Where a parameter value sits on a linear scale: log10 for log scales, choice index. */
export function position(v: JSONValue | null, d: DistributionJSON | undefined): number {
  if (v === null || d === undefined) {
    return NaN;
  }
  if (d.type === 'categorical') {
    const key = JSON.stringify(v);
    return d.choices.findIndex(c => JSON.stringify(c) === key);
  }
  const n = Number(v);
  return d.log ? Math.log10(n) : n;
}

/** An axis over `position`s: categorical choices and powers of ten labelled. */
export function positionAxis(
  name: string,
  d: DistributionJSON | undefined
): Partial<Layout['xaxis']> {
  if (d?.type === 'categorical') {
    return {
      title: { text: name },
      tickvals: d.choices.map((_, k) => k),
      ticktext: d.choices.map(c => String(c))
    };
  }
  if (d?.log) {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(d.low)); e <= Math.ceil(Math.log10(d.high)); e++) {
      ticks.push(e);
    }
    return { title: { text: name }, tickvals: ticks, ticktext: ticks.map(e => `1e${e}`) };
  }
  return { title: { text: name } };
}

export interface PairPoints {
  x: number[];
  y: number[];
  z: number[];
  numbers: number[];
}

/** Complete trials that set both parameters, as positions with their objective value. */
export function pairPoints(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  params: [string, string],
  objective: number
): PairPoints {
  const [xs, ys] = params.map(p => trials.params[p] ?? []);
  const [dx, dy] = params.map(p => distributions[p]);
  const out: PairPoints = { x: [], y: [], z: [], numbers: [] };
  for (const i of completeRows(trials, [objective])) {
    const x = position(xs[i] ?? null, dx);
    const y = position(ys[i] ?? null, dy);
    if (Number.isFinite(x) && Number.isFinite(y)) {
      out.x.push(x);
      out.y.push(y);
      out.z.push(fromWire(trials.values[i]![objective]));
      out.numbers.push(trials.number[i]);
    }
  }
  return out;
}

function edges(values: number[], d: DistributionJSON | undefined, cells: number): number[] {
  if (d?.type === 'categorical') {
    return d.choices.map((_, k) => k);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) {
    return [lo];
  }
  return Array.from({ length: cells }, (_, k) => lo + ((hi - lo) * k) / (cells - 1));
}

function nearest(grid: number[], v: number): number {
  if (grid.length === 1) {
    return 0;
  }
  const step = grid[1] - grid[0];
  return Math.min(grid.length - 1, Math.max(0, Math.round((v - grid[0]) / step)));
}

/**
 * The objective averaged over a grid of at most `cells` × `cells` points: each trial
 * counts toward its nearest grid point; empty points stay null and plotly fills them.
 * Binning keeps the cost linear in the number of trials (plotly's own gridding of
 * scattered points is quadratic in the distinct coordinates).
 */
export function contourGrid(
  points: PairPoints,
  dx: DistributionJSON | undefined,
  dy: DistributionJSON | undefined,
  cells = 40
): { x: number[]; y: number[]; z: (number | null)[][] } {
  const x = edges(points.x, dx, cells);
  const y = edges(points.y, dy, cells);
  const sum = y.map(() => x.map(() => 0));
  const count = y.map(() => x.map(() => 0));
  for (let k = 0; k < points.z.length; k++) {
    const i = nearest(y, points.y[k]);
    const j = nearest(x, points.x[k]);
    sum[i][j] += points.z[k];
    count[i][j] += 1;
  }
  const z = sum.map((row, i) => row.map((s, j) => (count[i][j] ? s / count[i][j] : null)));
  return { x, y, z };
}

export function contourFigure(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  params: [string, string],
  objective: number,
  objectiveName: string,
  direction: Direction
): Figure {
  const points = pairPoints(trials, distributions, params, objective);
  const [dx, dy] = params.map(p => distributions[p]);
  const grid = contourGrid(points, dx, dy);
  const data: Data[] =
    points.z.length < 2
      ? []
      : [
          {
            type: 'contour',
            x: grid.x,
            y: grid.y,
            z: grid.z,
            connectgaps: true,
            colorscale: 'Blues',
            reversescale: direction === 'minimize',
            colorbar: { title: { text: objectiveName } },
            hoverinfo: 'skip'
          } as Data,
          {
            type: points.z.length > 5000 ? 'scattergl' : 'scatter',
            mode: 'markers',
            x: points.x,
            y: points.y,
            text: points.numbers.map((n, k) => `Trial ${n}: ${points.z[k]}`),
            hoverinfo: 'text',
            marker: { color: 'black', size: 4, opacity: 0.6 },
            showlegend: false
          }
        ];
  return {
    data,
    layout: {
      title: { text: `Contour: ${params[0]} × ${params[1]}` },
      xaxis: positionAxis(params[0], dx),
      yaxis: positionAxis(params[1], dy)
    }
  };
}

/** The rank of each value as a fraction in [0, 1], 0 for the best; ties share a rank. */
export function rankFractions(values: number[], direction: Direction): number[] {
  const order = values.map((_, k) => k);
  const sign = direction === 'minimize' ? 1 : -1;
  order.sort((a, b) => sign * (values[a] - values[b]));
  const ranks = new Array<number>(values.length);
  const denominator = Math.max(values.length - 1, 1);
  for (let r = 0; r < order.length; r++) {
    const tied = r > 0 && values[order[r]] === values[order[r - 1]];
    ranks[order[r]] = tied ? ranks[order[r - 1]] : r / denominator;
  }
  return ranks;
}

export function rankFigure(
  trials: TrialColumns,
  distributions: Record<string, DistributionJSON>,
  params: [string, string],
  objective: number,
  objectiveName: string,
  direction: Direction
): Figure {
  const points = pairPoints(trials, distributions, params, objective);
  const ranks = rankFractions(points.z, direction);
  return {
    data: [
      {
        type: points.z.length > 5000 ? 'scattergl' : 'scatter',
        mode: 'markers',
        x: points.x,
        y: points.y,
        text: points.numbers.map((n, k) => `Trial ${n}: ${objectiveName} = ${points.z[k]}`),
        hoverinfo: 'text',
        marker: {
          color: ranks,
          cmin: 0,
          cmax: 1,
          colorscale: 'RdYlBu',
          reversescale: true,
          showscale: true,
          colorbar: {
            title: { text: 'Rank' },
            tickvals: [0, 1],
            ticktext: ['best', 'worst']
          }
        }
      }
    ],
    layout: {
      title: { text: `Rank: ${params[0]} × ${params[1]}` },
      xaxis: positionAxis(params[0], distributions[params[0]]),
      yaxis: positionAxis(params[1], distributions[params[1]])
    }
  };
}
