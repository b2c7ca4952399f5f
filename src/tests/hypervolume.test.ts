import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  HypervolumeTrial,
  defaultReferencePoint,
  hypervolume,
  hypervolumeHistory,
  hypervolumeTrials,
  nonDominated
} from '../plots/hypervolume';
import { emptyColumns } from '../trials';
import { Direction } from '../types';

const close = (actual: number, expected: number, rel = 1e-12) =>
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)),
    `${actual} is not ${expected}`
  );

/** The hypervolume of integer points by counting the unit cells they cover. */
function countCells(points: number[][], reference: number[]): number {
  const d = reference.length;
  const low = reference.map((_, k) => Math.min(...points.map(p => p[k])));
  let count = 0;
  const cell = new Array<number>(d);
  const visit = (k: number): void => {
    if (k === d) {
      count += points.some(p => p.every((v, j) => v <= cell[j])) ? 1 : 0;
      return;
    }
    for (let c = low[k]; c < reference[k]; c++) {
      cell[k] = c;
      visit(k + 1);
    }
  };
  visit(0);
  return count;
}

/** A small deterministic generator (the tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

test('known hypervolumes (values from optuna._hypervolume.compute_hypervolume)', () => {
  assert.equal(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 6);
  assert.equal(hypervolume([[1, 2, 3], [2, 1, 3], [3, 3, 1], [2, 2, 2]], [4, 4, 4]), 13);
  const three = [
    [0.548814, 0.715189, 0.602763], [0.544883, 0.423655, 0.645894],
    [0.437587, 0.891773, 0.963663], [0.383442, 0.791725, 0.528895],
    [0.568045, 0.925597, 0.071036], [0.087129, 0.020218, 0.83262],
    [0.778157, 0.870012, 0.978618], [0.799159, 0.461479, 0.780529],
    [0.118274, 0.639921, 0.143353], [0.944669, 0.521848, 0.414662],
    [0.264556, 0.774234, 0.45615], [0.568434, 0.01879, 0.617635]
  ]; // prettier-ignore
  close(hypervolume(three, [1, 1, 1]), 0.43087628083206164);
  const four = [
    [0.612096, 0.616934, 0.943748, 0.68182], [0.359508, 0.437032, 0.697631, 0.060225],
    [0.666767, 0.670638, 0.210383, 0.128926], [0.315428, 0.363711, 0.570197, 0.438602],
    [0.988374, 0.102045, 0.208877, 0.16131], [0.653108, 0.253292, 0.466311, 0.244426],
    [0.15897, 0.110375, 0.65633, 0.138183], [0.196582, 0.368725, 0.820993, 0.097101],
    [0.837945, 0.096098, 0.976459, 0.468651], [0.976761, 0.604846, 0.739264, 0.039188]
  ]; // prettier-ignore
  close(hypervolume(four, [1.1, 1.1, 1.1, 1.1]), 0.5610286555081654);
});

test('hypervolume equals the count of covered cells in 2 to 5 objectives', () => {
  const random = lcg(7);
  for (const d of [2, 3, 4, 5]) {
    for (let round = 0; round < 8; round++) {
      const side = 6;
      const n = 1 + Math.floor(random() * 9);
      const points = Array.from({ length: n }, () =>
        Array.from({ length: d }, () => Math.floor(random() * side))
      );
      const reference = new Array<number>(d).fill(side);
      assert.equal(hypervolume(points, reference), countCells(points, reference), `${points}`);
    }
  }
});

test('points beyond the reference point, dominated and repeated points add nothing', () => {
  assert.equal(hypervolume([[1, 1], [5, 0], [1, 1], [2, 2]], [4, 4]), 9);
  assert.equal(hypervolume([[1, 1, 1], [5, 0, 0], [1, 1, 1], [2, 2, 2]], [4, 4, 4]), 27);
  assert.equal(hypervolume([], [1, 1, 1]), 0);
  assert.deepEqual(nonDominated([[1, 2], [1, 2], [2, 1], [2, 2]]), [[1, 2], [2, 1]]);
});

const trial = (number: number, values: number[], feasible = true): HypervolumeTrial => ({
  number,
  trialId: number + 100,
  values,
  feasible
});

/** optuna's definition, literally: the hypervolume of the feasible points so far. */
function naiveHistory(trials: HypervolumeTrial[], directions: Direction[], reference: number[]) {
  const signs = directions.map(d => (d === 'minimize' ? 1 : -1));
  const limit = reference.map((r, k) => signs[k] * r);
  const points: number[][] = [];
  return trials.map(t => {
    if (t.feasible) {
      points.push(t.values.map((v, k) => signs[k] * v));
    }
    return hypervolume(points, limit);
  });
}

test('the history follows maximized objectives, infeasible trials and the reference', () => {
  const directions: Direction[] = ['minimize', 'maximize'];
  const trials = [
    trial(0, [2, 1]),
    trial(1, [1, 3], false), // infeasible: adds nothing
    trial(2, [1, 2]),
    trial(5, [3, 5]), // a gap in the numbers (a pruned or running trial)
    trial(6, [9, 9]), // beyond the reference point in the first objective
    trial(7, [1, 2]) // equal to a point on the front
  ];
  const h = hypervolumeHistory(trials, directions, [4, 0]);
  assert.deepEqual(h.numbers, [0, 1, 2, 5, 6, 7]);
  // [2,1]: 2*1; [1,2]: 3*2 covers it; [3,5] adds 1*3
  assert.deepEqual(h.values, [2, 2, 6, 9, 9, 9]);
  assert.deepEqual(h.values, naiveHistory(trials, directions, [4, 0]));
});

test('the history extends from its last point and equals a recomputation', () => {
  for (const d of [2, 3, 4]) {
    const random = lcg(d);
    const directions: Direction[] = Array.from({ length: d }, (_, k) =>
      k % 2 ? 'maximize' : 'minimize'
    );
    const reference = directions.map(dir => (dir === 'minimize' ? 1.05 : -0.05));
    const trials = Array.from({ length: 40 }, (_, n) =>
      trial(n, Array.from({ length: d }, () => random()), random() > 0.1)
    );
    const first = hypervolumeHistory(trials.slice(0, 25), directions, reference);
    assert.equal(first.computed, 25);
    const extended = hypervolumeHistory(trials, directions, reference, first);
    assert.equal(extended.computed, 15);
    const scratch = hypervolumeHistory(trials, directions, reference);
    assert.equal(scratch.computed, 40);
    extended.values.forEach((v, k) => close(v, scratch.values[k]));
    naiveHistory(trials, directions, reference).forEach((v, k) => close(extended.values[k], v));
    // the previous history is left as it was
    assert.equal(first.values.length, 25);
  }
});

test('another reference point, or a trial completing out of order, starts over', () => {
  const directions: Direction[] = ['minimize', 'minimize'];
  const trials = [trial(0, [1, 2]), trial(2, [2, 1])];
  const h = hypervolumeHistory(trials, directions, [3, 3]);
  assert.equal(hypervolumeHistory(trials, directions, [4, 4], h).computed, 2);
  const late = [trial(0, [1, 2]), trial(1, [0.5, 0.5]), trial(2, [2, 1])];
  const again = hypervolumeHistory(late, directions, [3, 3], h);
  assert.equal(again.computed, 3);
  assert.deepEqual(again.values, [2, 6.25, 6.25]);
  assert.equal(hypervolumeHistory(trials, directions, [3, 3], h).computed, 0);
});

test('complete trials with values are read by number; constraints above 0 are infeasible', () => {
  const c = emptyColumns();
  const rows: [number, 'Complete' | 'Running', number[] | null, (number | 'nan')[] | null][] = [
    [0, 'Complete', [1, 2], null],
    [1, 'Running', null, null],
    [2, 'Complete', [3, 4], [0.5, -1]],
    [3, 'Complete', [5, 6], [0, 'nan']]
  ];
  for (const [number, state, values, constraints] of rows) {
    c.number.push(number);
    c.trial_id.push(number + 10);
    c.state.push(state);
    c.values.push(values);
    c.constraints.push(constraints);
  }
  assert.deepEqual(hypervolumeTrials(c), [
    { number: 0, trialId: 10, values: [1, 2], feasible: true },
    { number: 2, trialId: 12, values: [3, 4], feasible: false },
    { number: 3, trialId: 13, values: [5, 6], feasible: true }
  ]);
});

test('the default reference point is the worst value 10% of the range further out', () => {
  const trials = [trial(0, [1, 10]), trial(1, [3, 20]), trial(2, [2, Infinity])];
  assert.deepEqual(defaultReferencePoint(trials, ['minimize', 'maximize']), [
    3 + 0.1 * (3 - 1),
    10 - 0.1 * (20 - 10)
  ]);
  // equal values: 10% of their magnitude, or 0.1 around 0
  assert.deepEqual(defaultReferencePoint([trial(0, [5, 0])], ['minimize', 'maximize']), [
    5.5,
    -0.1
  ]);
  assert.equal(defaultReferencePoint([], ['minimize', 'minimize']), null);
});
