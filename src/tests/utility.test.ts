import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  band,
  utilityContourFigure,
  utilitySliceFigure,
  utilityTrialsFigure
} from '../plots/utility';
import { UtilityEstimate, UtilitySlice } from '../types';

type Trace = {
  name?: string;
  x: (number | string)[];
  y: number[];
  fill?: string;
  error_y?: { array: number[] };
  marker?: { symbol?: string };
};

const traces = (data: unknown[]) => data as Trace[];

const slice = (overrides: Partial<UtilitySlice> = {}): UtilitySlice => ({
  param: 'lr',
  distribution: { type: 'float', low: 0.001, high: 1, log: true, step: null },
  lengthscale: 0.2,
  values: [0.001, 0.01, 0.1, 1],
  mean: [0, 1, 2, 1],
  sd: [1, 0.5, 0.5, 1],
  rug: { numbers: [3, 7], values: [0.01, 0.1] },
  ...overrides
});

test('trials are ranked by mean, one trace per leading role, with sd error bars', () => {
  const estimates: UtilityEstimate[] = [
    { number: 4, roles: ['candidate'], mean: -1, sd: 2 },
    { number: 7, roles: ['recommended', 'best'], mean: 3, sd: 0.5 },
    { number: 2, roles: ['best', 'candidate'], mean: 1, sd: 1 }
  ];
  const figure = utilityTrialsFigure(estimates);
  const data = traces(figure.data);
  assert.deepEqual(
    data.map(t => t.name),
    ['Recommended', 'Best (never worse)', 'Candidate']
  );
  assert.deepEqual(data[0].x, ['#7']);
  assert.deepEqual(data[1].error_y?.array, [1]);
  assert.deepEqual(
    (figure.layout.xaxis as { categoryarray: string[] }).categoryarray,
    ['#7', '#2', '#4']
  );
});

test('a role nobody has leaves no empty trace', () => {
  const figure = utilityTrialsFigure([{ number: 0, roles: ['recommended'], mean: 0, sd: 1 }]);
  assert.equal(figure.data.length, 1);
});

test('the band spans ±1 sd and the rug sits below it', () => {
  const b = band([0, 2], [1, 1]);
  assert.deepEqual(b.lower, [-1, 1]);
  assert.deepEqual(b.upper, [1, 3]);
  assert.ok(b.rug < -1);
});

test('a numeric slice draws a band, the mean and a rug on a log axis', () => {
  const figure = utilitySliceFigure(slice(), 7);
  const data = traces(figure.data);
  assert.equal(data.length, 4);
  assert.equal(data[1].fill, 'tonexty');
  assert.deepEqual(data[2].y, [0, 1, 2, 1]);
  assert.deepEqual(data[3].x, [0.01, 0.1]);
  assert.equal(data[3].marker?.symbol, 'line-ns-open');
  assert.equal((figure.layout.xaxis as { type: string }).type, 'log');
  // the dashed line marks the recommended trial's value
  assert.equal((figure.layout.shapes as { x0: number }[])[0].x0, 0.1);
});

test('a categorical slice has one point per choice with error bars', () => {
  const figure = utilitySliceFigure(
    slice({
      param: 'c',
      distribution: { type: 'categorical', choices: ['a', null, 3] },
      values: ['a', null, 3],
      mean: [1, 2, 3],
      sd: [0.1, 0.2, 0.3],
      rug: { numbers: [1], values: [null] }
    }),
    5
  );
  const data = traces(figure.data);
  assert.deepEqual(data[0].x, ['a', 'null', '3']);
  assert.deepEqual(data[0].error_y?.array, [0.1, 0.2, 0.3]);
  assert.deepEqual(data[1].x, ['null']);
  assert.equal((figure.layout.xaxis as { type: string }).type, 'category');
  assert.deepEqual(figure.layout.shapes, []); // trial 5 is not among the compared
});

test('the contour places log parameters at log10 and overlays the compared trials', () => {
  const x = slice();
  const y = slice({
    param: 'n',
    distribution: { type: 'int', low: 1, high: 3, log: false, step: 1 },
    rug: { numbers: [7, 3], values: [3, 1] }
  });
  const figure = utilityContourFigure(
    { x_param: 'lr', y_param: 'n', x: [0.001, 1], y: [1, 3], mean: [[0, 1], [2, 3]] },
    x,
    y
  );
  const data = traces(figure.data);
  assert.deepEqual(data[0].x, [-3, 0]);
  assert.deepEqual(data[1].x, [-2, -1]);
  assert.deepEqual(data[1].y, [1, 3]);
});
