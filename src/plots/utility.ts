/**
 * Figures of the preference model's utility (the server fits it): the posterior at the
 * recommended, best and candidate trials with ±1 sd error bars, 1-D slices through the
 * recommended trial with ±1 sd bands and a rug of the compared trials, and a 2-D contour.
 * Pure functions (unit-tested); the Analytics page only lays them out.
 */
import type { Data } from 'plotly.js';

import {
  JSONValue,
  UtilityContour,
  UtilityEstimate,
  UtilityRole,
  UtilitySlice
} from '../types';
import { Figure } from './figures';
import { position, positionAxis } from './pairs';

export const ROLE_NAMES: Record<UtilityRole, string> = {
  recommended: 'Recommended',
  best: 'Best (never worse)',
  candidate: 'Candidate'
};

const ROLE_STYLE: Record<UtilityRole, { color: string; symbol: string; size: number }> = {
  recommended: { color: '#d62728', symbol: 'star', size: 14 },
  best: { color: '#ff7f0e', symbol: 'diamond', size: 10 },
  candidate: { color: '#1f77b4', symbol: 'circle', size: 9 }
};

const BAND = 'rgba(31, 119, 180, 0.22)';
const LINE = '#1f77b4';

/** "Trial 31: recommended, best". */
export function estimateLabel(e: UtilityEstimate): string {
  return `Trial ${e.number}: ${e.roles.join(', ')}`;
}

/**
 * The posterior mean ± 1 sd of each trial, highest first, one trace per leading role (so
 * the legend names the roles); the x axis labels each trial by its number.
 */
export function utilityTrialsFigure(trials: UtilityEstimate[]): Figure {
  const sorted = trials.slice().sort((a, b) => b.mean - a.mean || a.number - b.number);
  const data = (Object.keys(ROLE_STYLE) as UtilityRole[])
    .map(role => {
      const picked = sorted.filter(t => t.roles[0] === role);
      return {
        type: 'scatter',
        mode: 'markers',
        name: ROLE_NAMES[role],
        x: picked.map(t => `#${t.number}`),
        y: picked.map(t => t.mean),
        error_y: { type: 'data', array: picked.map(t => t.sd), visible: true },
        customdata: picked.map(t => t.sd),
        text: picked.map(estimateLabel),
        hovertemplate: '%{text}<br>utility %{y:.3f} ± %{customdata:.3f}<extra></extra>',
        marker: ROLE_STYLE[role]
      } as Data;
    })
    .filter(trace => (trace as { x: string[] }).x.length > 0);
  return {
    data,
    layout: {
      title: { text: 'Utility of the recommended, best and candidate trials' },
      xaxis: {
        title: { text: 'Trial' },
        type: 'category',
        categoryorder: 'array',
        categoryarray: sorted.map(t => `#${t.number}`)
      },
      yaxis: { title: { text: 'Utility (mean ± 1 sd)' } },
      legend: { orientation: 'h', y: -0.25 }
    }
  };
}

/** Lower and upper ends of the ±1 sd band, and a level below both for the rug. */
export function band(
  mean: number[],
  sd: number[]
): { lower: number[]; upper: number[]; rug: number } {
  const lower = mean.map((m, i) => m - sd[i]);
  const upper = mean.map((m, i) => m + sd[i]);
  const low = Math.min(...lower);
  const span = Math.max(...upper) - low || 1;
  return { lower, upper, rug: low - 0.06 * span };
}

/** A value on a slice's x axis: categorical choices as their text. */
function onAxis(v: JSONValue, categorical: boolean): number | string {
  return categorical ? String(v) : Number(v);
}

/**
 * The utility along one parameter, the others at the recommended trial's values: mean
 * with a ±1 sd band (error bars for a categorical), the compared trials as a rug below,
 * and a dashed line at the recommended trial's value.
 */
export function utilitySliceFigure(slice: UtilitySlice, recommended: number): Figure {
  const d = slice.distribution;
  const categorical = d.type === 'categorical';
  const x = slice.values.map(v => onAxis(v, categorical));
  const { lower, upper, rug } = band(slice.mean, slice.sd);
  const hover = `${slice.param} %{x}<br>utility %{y:.3f} ± %{customdata:.3f}<extra></extra>`;
  const curve: Data[] = categorical
    ? [
        {
          type: 'scatter',
          mode: 'markers',
          x,
          y: slice.mean,
          error_y: { type: 'data', array: slice.sd, visible: true },
          customdata: slice.sd,
          hovertemplate: hover,
          marker: { color: LINE, size: 9 }
        } as Data
      ]
    : [
        { type: 'scatter', mode: 'lines', x, y: lower, line: { width: 0 }, hoverinfo: 'skip' },
        {
          type: 'scatter',
          mode: 'lines',
          x,
          y: upper,
          fill: 'tonexty',
          fillcolor: BAND,
          line: { width: 0 },
          hoverinfo: 'skip'
        },
        {
          type: 'scatter',
          mode: 'lines',
          x,
          y: slice.mean,
          customdata: slice.sd,
          hovertemplate: hover,
          line: { color: LINE, width: 2 }
        } as Data
      ];
  const rugTrace: Data = {
    type: 'scatter',
    mode: 'markers',
    x: slice.rug.values.map(v => onAxis(v, categorical)),
    y: slice.rug.values.map(() => rug),
    text: slice.rug.numbers.map(n => `Trial ${n}`),
    hovertemplate: `%{text}: ${slice.param} %{x}<extra></extra>`,
    marker: { symbol: 'line-ns-open', size: 12, color: '#7f7f7f', line: { width: 1.5 } }
  } as Data;
  const at = slice.rug.numbers.indexOf(recommended);
  const shapes =
    at < 0
      ? []
      : [
          {
            type: 'line' as const,
            xref: 'x' as const,
            yref: 'paper' as const,
            x0: onAxis(slice.rug.values[at], categorical),
            x1: onAxis(slice.rug.values[at], categorical),
            y0: 0,
            y1: 1,
            line: { color: ROLE_STYLE.recommended.color, dash: 'dash' as const, width: 1.5 }
          }
        ];
  return {
    data: [...curve, rugTrace],
    layout: {
      title: { text: `Utility along ${slice.param}` },
      xaxis: {
        title: { text: slice.param },
        type: d.type === 'categorical' ? 'category' : d.log ? 'log' : 'linear'
      },
      yaxis: { title: { text: 'Utility' } },
      showlegend: false,
      shapes
    }
  };
}

/**
 * The posterior mean over two parameters, the compared trials on top (their values of
 * the two parameters come from the slices' rugs).
 */
export function utilityContourFigure(
  contour: UtilityContour,
  xSlice: UtilitySlice,
  ySlice: UtilitySlice
): Figure {
  const dx = xSlice.distribution;
  const dy = ySlice.distribution;
  const yOf = new Map(ySlice.rug.numbers.map((n, k) => [n, ySlice.rug.values[k]]));
  const numbers = xSlice.rug.numbers.filter(n => yOf.has(n));
  const xOf = new Map(xSlice.rug.numbers.map((n, k) => [n, xSlice.rug.values[k]]));
  return {
    data: [
      {
        type: 'contour',
        x: contour.x.map(v => position(v, dx)),
        y: contour.y.map(v => position(v, dy)),
        z: contour.mean,
        colorscale: 'Viridis',
        colorbar: { title: { text: 'Utility' } },
        hovertemplate: 'utility %{z:.3f}<extra></extra>'
      } as Data,
      {
        type: 'scatter',
        mode: 'markers',
        x: numbers.map(n => position(xOf.get(n)!, dx)),
        y: numbers.map(n => position(yOf.get(n)!, dy)),
        text: numbers.map(n => `Trial ${n}`),
        hoverinfo: 'text',
        marker: { color: 'white', size: 6, line: { color: 'black', width: 1 } },
        showlegend: false
      } as Data
    ],
    layout: {
      title: { text: `Utility over ${contour.x_param} × ${contour.y_param}` },
      xaxis: positionAxis(contour.x_param, dx),
      yaxis: positionAxis(contour.y_param, dy)
    }
  };
}
