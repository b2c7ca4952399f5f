import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contourFigure, contourGrid, pairPoints, position, rankFractions } from '../plots/pairs';
import { parallelDimensions } from '../plots/parallel';
import { DistributionJSON } from '../types';
import { columns } from './fixtures';

const float = (low: number, high: number, log = false): DistributionJSON => ({
  type: 'float',
  low,
  high,
  log,
  step: null
});

test('positions follow log scales and categorical choices', () => {
  assert.equal(position(100, float(1, 1000, true)), 2);
  assert.equal(position(0.5, float(0, 1)), 0.5);
  assert.equal(position('b', { type: 'categorical', choices: ['a', 'b', null] }), 1);
  assert.equal(position(null, { type: 'categorical', choices: ['a', 'b', null] }), NaN);
  assert.ok(Number.isNaN(position(3, undefined)));
});

test('pair points keep complete trials that set both parameters', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 1, x: 0, y: 0 },
    { number: 1, state: 'Running', x: 1, y: 1 },
    { number: 2, state: 'Complete', value: 3, x: 1 },
    { number: 3, state: 'Complete', value: 4, x: 1, y: 1 }
  ]);
  const points = pairPoints(c, { x: float(0, 1), y: float(0, 1) }, ['x', 'y'], 0);
  assert.deepEqual(points, { x: [0, 1], y: [0, 1], z: [1, 4], numbers: [0, 3] });
});

test('contour grid averages the trials nearest each grid point and leaves gaps null', () => {
  const points = { x: [0, 0, 1, 0.5], y: [0, 0, 1, 1], z: [1, 3, 10, 7], numbers: [0, 1, 2, 3] };
  const grid = contourGrid(points, float(0, 1), float(0, 1), 3);
  assert.deepEqual(grid.x, [0, 0.5, 1]);
  assert.deepEqual(grid.y, [0, 0.5, 1]);
  assert.deepEqual(grid.z, [
    [2, null, null],
    [null, null, null],
    [null, 7, 10]
  ]);
});

test('contour grid is bounded by the cell count however many trials there are', () => {
  const n = 20000;
  const x = Array.from({ length: n }, (_, k) => (k * 7919) % 1000);
  const y = Array.from({ length: n }, (_, k) => (k * 104729) % 997);
  const grid = contourGrid({ x, y, z: x.map((v, k) => v + y[k]), numbers: x }, undefined, undefined, 40);
  assert.equal(grid.z.length, 40);
  assert.ok(grid.z.every(row => row.length === 40));
});

test('contour needs two trials; its axes label log ticks as powers of ten', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 1, x: 1, y: 0.1 },
    { number: 1, state: 'Complete', value: 2, x: 100, y: 0.2 }
  ]);
  const d = { x: float(1, 100, true), y: float(0, 1) };
  const fig = contourFigure(c, d, ['x', 'y'], 0, 'loss', 'minimize');
  assert.equal(fig.data.length, 2);
  assert.deepEqual((fig.layout.xaxis as { ticktext: string[] }).ticktext, ['1e0', '1e1', '1e2']);
  const one = columns([{ number: 0, state: 'Complete', value: 1, x: 1, y: 0.1 }]);
  assert.equal(contourFigure(one, d, ['x', 'y'], 0, 'loss', 'minimize').data.length, 0);
});

test('rank fractions put the best at 0, the worst at 1, and ties together', () => {
  assert.deepEqual(rankFractions([3, 1, 2, 1], 'minimize'), [1, 0, 2 / 3, 0]);
  assert.deepEqual(rankFractions([3, 1, 2], 'maximize'), [0, 1, 0.5]);
  assert.deepEqual(rankFractions([5], 'minimize'), [0]);
});

test('parallel coordinates map log parameters to log10 and end with the objective', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 1, x: 10 },
    { number: 1, state: 'Fail', x: 100 },
    { number: 2, state: 'Complete', value: 2, x: 1000 }
  ]);
  const dims = parallelDimensions(c, { x: float(1, 1000, true) }, 0, 'loss');
  assert.deepEqual(
    dims.map(d => [d.label, d.values]),
    [
      ['x (log10)', [1, 3]],
      ['loss', [1, 2]]
    ]
  );
});

test('parallel coordinates draw the latest lines of a large study and count them all', () => {
  const c = columns(
    Array.from({ length: 5 }, (_, n) => ({ number: n, state: 'Complete' as const, value: n, x: n + 1 }))
  );
  const dims = parallelDimensions(c, { x: float(1, 10, false) }, 0, 'loss', 2);
  assert.deepEqual(dims[dims.length - 1].values, [3, 4]);
  assert.equal(dims.total, 5);
});
