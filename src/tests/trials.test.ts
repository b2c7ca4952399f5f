import assert from 'node:assert/strict';
import { test } from 'node:test';

import { shownTrials } from '../components/TrialList';
import { completeRows, edfPoints, paretoFront } from '../plots/figures';
import { bestSoFar, historyPoints } from '../plots/history';
import { isRecreated, mergeTrials, trialRow } from '../trials';
import { TrialState } from '../types';
import { columns } from './fixtures';

test('merge appends new trials and replaces changed ones', () => {
  const held = columns([
    { number: 0, state: 'Complete', value: 3, x: 1 },
    { number: 1, state: 'Running', x: 2 }
  ]);
  const update = columns([
    { number: 1, state: 'Complete', value: 1, x: 2 },
    { number: 2, state: 'Running', x: 5 }
  ]);
  const merged = mergeTrials(held, update);
  assert.deepEqual(merged.number, [0, 1, 2]);
  assert.deepEqual(merged.state, ['Complete', 'Complete', 'Running']);
  assert.deepEqual(merged.values, [[3], [1], null]);
  assert.deepEqual(merged.params.x, [1, 2, 5]);
  assert.deepEqual(held.state, ['Complete', 'Running'], 'the held columns are not modified');
});

test('merge fills a new parameter column with nulls for older trials', () => {
  const held = columns([{ number: 0, state: 'Complete', value: 1, x: 1 }]);
  const update = columns([{ number: 1, state: 'Complete', value: 2, x: 3 }]);
  update.params.y = [7];
  const merged = mergeTrials(held, update);
  assert.deepEqual(merged.params.y, [null, 7]);
  assert.deepEqual(trialRow(merged, 0).params, { x: 1 });
  assert.deepEqual(trialRow(merged, 1).params, { x: 3, y: 7 });
});

test('merge keeps trials sorted when an update arrives out of order', () => {
  const held = columns([{ number: 5, state: 'Complete', value: 1 }]);
  const update = columns([
    { number: 7, state: 'Running' },
    { number: 6, state: 'Running' }
  ]);
  assert.deepEqual(mergeTrials(held, update).number, [5, 6, 7]);
});

test('history points skip unfinished and non-finite values, best follows direction', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 5 },
    { number: 1, state: 'Running' },
    { number: 2, state: 'Complete', value: 2 },
    { number: 3, state: 'Pruned', value: 1 },
    { number: 4, state: 'Complete', value: 4 }
  ]);
  c.values.push(['inf']);
  c.number.push(5);
  c.state.push('Complete');
  for (const key of ['trial_id', 'datetime_start', 'datetime_complete'] as const) {
    c[key].push(5);
  }
  const points = historyPoints(c, { objective: 0, xAxis: 'number', includePruned: false });
  assert.deepEqual(points.map(p => p.number), [0, 2, 4]);
  assert.deepEqual(bestSoFar(points, 'minimize'), [5, 2, 2]);
  assert.deepEqual(bestSoFar(points, 'maximize'), [5, 5, 5]);
  const withPruned = historyPoints(c, { objective: 0, xAxis: 'number', includePruned: true });
  assert.deepEqual(withPruned.map(p => p.number), [0, 2, 3, 4]);
});

test('trial list filters by state and sorts by value with missing values last', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 5 },
    { number: 1, state: 'Running' },
    { number: 2, state: 'Complete', value: 2 },
    { number: 3, state: 'Fail' },
    { number: 4, state: 'Complete', value: 9 }
  ]);
  const all = new Set<TrialState>(['Running', 'Complete', 'Fail']);
  assert.deepEqual(shownTrials(c, all, 'number', true), [4, 3, 2, 1, 0]);
  assert.deepEqual(shownTrials(c, all, 'value', false).slice(0, 3), [2, 0, 4]);
  assert.deepEqual(shownTrials(c, all, 'value', true).slice(0, 3), [4, 0, 2]);
  assert.deepEqual(shownTrials(c, new Set<TrialState>(['Running', 'Fail']), 'number', false), [1, 3]);
});

test('EDF is sorted with cumulative fractions; Pareto front follows the directions', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 3 },
    { number: 1, state: 'Complete', value: 1 },
    { number: 2, state: 'Running' },
    { number: 3, state: 'Complete', value: 2 }
  ]);
  assert.deepEqual(edfPoints(c, 0), { x: [1, 2, 3], y: [1 / 3, 2 / 3, 1] });

  const two = columns([
    { number: 0, state: 'Complete' },
    { number: 1, state: 'Complete' },
    { number: 2, state: 'Complete' },
    { number: 3, state: 'Complete' }
  ]);
  two.values = [
    [1, 5],
    [2, 2],
    [3, 3],
    [4, 1]
  ];
  const rows = completeRows(two, [0, 1]);
  assert.deepEqual([...paretoFront(two, rows, [0, 1], ['minimize', 'minimize'])].sort(), [0, 1, 3]);
  assert.deepEqual([...paretoFront(two, rows, [0, 1], ['maximize', 'maximize'])].sort(), [0, 2, 3]);
});

test('a poll that only repeats the held trials keeps the held columns as they are', () => {
  const held = columns([
    { number: 0, state: 'Complete', value: 3, x: 1 },
    { number: 1, state: 'Running', x: 2 }
  ]);
  const repeat = columns([{ number: 1, state: 'Running', x: 2 }]);
  assert.equal(mergeTrials(held, repeat), held);
  assert.equal(mergeTrials(held, columns([])), held);

  const finished = columns([{ number: 1, state: 'Complete', value: 1, x: 2 }]);
  assert.notEqual(mergeTrials(held, finished), held);
  const noted = columns([]);
  noted.notes['101'] = { version: 1, body: 'new note' };
  assert.equal(mergeTrials(held, noted).notes['101'].body, 'new note');
});

test('an update from a study deleted and created again is told apart', () => {
  const held = columns([
    { number: 0, state: 'Complete', value: 3, x: 1 },
    { number: 1, state: 'Running', x: 2 }
  ]);
  const same = columns([{ number: 1, state: 'Complete', value: 1, x: 2 }]);
  assert.equal(isRecreated(held, 2, same, 2), false);
  assert.equal(isRecreated(held, 2, columns([]), 1), true, 'fewer trials than held');
  const other = columns([{ number: 1, state: 'Running', x: 2 }]);
  other.trial_id = [99];
  assert.equal(isRecreated(held, 2, other, 2), true, 'trial 1 is another trial now');
});
