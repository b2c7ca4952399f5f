import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bestTrials, paretoRows } from '../best';
import { Direction, StudyDetail, TrialColumns } from '../types';
import { columns } from './fixtures';

/** The fields of a study that bestTrials reads. */
function study(trials: TrialColumns, directions: Direction[], best?: number[]): StudyDetail {
  const preference = best ? { best } : null;
  return { trials, directions, preference } as unknown as StudyDetail;
}

test('one objective: the first complete trial of the best value, by direction', () => {
  const trials = columns([
    { number: 0, state: 'Complete', value: 3 },
    { number: 1, state: 'Complete', value: 1 },
    { number: 2, state: 'Running' },
    { number: 3, state: 'Pruned', value: 0 },
    { number: 4, state: 'Complete', value: 1 }
  ]);
  assert.deepEqual(bestTrials(study(trials, ['minimize'])), { kind: 'single', rows: [1] });
  assert.deepEqual(bestTrials(study(trials, ['maximize'])), { kind: 'single', rows: [0] });
  assert.deepEqual(bestTrials(study(columns([{ number: 0, state: 'Running' }]), ['minimize'])), {
    kind: 'single',
    rows: []
  });
});

test('infeasible trials are never best (NaN constraints included)', () => {
  const trials = columns([
    { number: 0, state: 'Complete', value: 1 },
    { number: 1, state: 'Complete', value: 5 },
    { number: 2, state: 'Complete', value: 0 }
  ]);
  trials.constraints = [[0.5], null, ['nan']];
  assert.deepEqual(bestTrials(study(trials, ['minimize'])).rows, [1]);
});

test('several objectives: the Pareto front, ties kept, by trial number', () => {
  const trials = columns([
    { number: 0, state: 'Complete' },
    { number: 1, state: 'Complete' },
    { number: 2, state: 'Complete' },
    { number: 3, state: 'Complete' },
    { number: 4, state: 'Complete' }
  ]);
  trials.values = [
    [1, 4],
    [2, 2],
    [3, 3], // dominated by trial 1
    [4, 1],
    [2, 2] // the same point as trial 1: on the front too
  ];
  assert.deepEqual(bestTrials(study(trials, ['minimize', 'minimize'])), {
    kind: 'pareto',
    rows: [0, 1, 3, 4]
  });
  // maximize both
  assert.deepEqual(paretoRows(trials, [0, 1, 2, 3, 4], [-1, -1]), [0, 2, 3]);
  // minimize the first, maximize the second: trial 0 beats all
  assert.deepEqual(paretoRows(trials, [0, 1, 2, 3, 4], [1, -1]), [0]);
});

test('a preferential study: the trials its preferences recommend', () => {
  const trials = columns([
    { number: 0, state: 'Complete' },
    { number: 1, state: 'Complete' },
    { number: 2, state: 'Running' }
  ]);
  assert.deepEqual(bestTrials(study(trials, ['minimize'], [2, 0])), {
    kind: 'preferred',
    rows: [0, 2]
  });
});
