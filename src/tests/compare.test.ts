import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  cannotCompare,
  compareEdfFigure,
  compareHistoryFigure,
  edfCurves,
  objectiveValues
} from '../plots/compare';
import { StudySummary } from '../types';
import { columns } from './fixtures';

function summary(id: number, directions: StudySummary['directions'], preferential = false) {
  return {
    study_id: id,
    study_name: `s${id}`,
    directions,
    metric_names: null,
    best_values: null,
    n_trials: 0,
    is_preferential: preferential,
    user_attrs: {},
    datetime_start: null
  } satisfies StudySummary;
}

test('EDF on a common grid from the smallest to the largest value, as optuna computes it', () => {
  const { x, y } = edfCurves([[0, 4], [2]], 5);
  assert.deepEqual(x, [0, 1, 2, 3, 4]);
  // fraction of each study's values at or below each x
  assert.deepEqual(y, [
    [0.5, 0.5, 0.5, 0.5, 1],
    [0, 0, 1, 1, 1]
  ]);
});

test('EDF of 100 points by default; a study without values has no curve', () => {
  const { x, y } = edfCurves([[3, 1, 2], []]);
  assert.equal(x.length, 100);
  assert.equal(x[0], 1);
  assert.equal(x[99], 3);
  assert.equal(y[0][99], 1);
  assert.equal(y[0][0], 1 / 3);
  assert.deepEqual(y[1], []);
  assert.deepEqual(edfCurves([[], []]), { x: [], y: [[], []] });
  // one value only: every point of the grid is that value
  assert.deepEqual(edfCurves([[7]], 3), { x: [7, 7, 7], y: [[1, 1, 1]] });
});

test('objective values are those of complete trials, finite', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 3 },
    { number: 1, state: 'Running' },
    { number: 2, state: 'Pruned', value: 1 },
    { number: 3, state: 'Complete', value: 2 }
  ]);
  c.values.push(['nan']);
  c.number.push(4);
  c.state.push('Complete');
  assert.deepEqual(objectiveValues(c, 0), [3, 2]);
});

test('one best-so-far line and one EDF line per study, in one colour each', () => {
  const a = columns([
    { number: 0, state: 'Complete', value: 3 },
    { number: 1, state: 'Complete', value: 1 },
    { number: 2, state: 'Complete', value: 2 }
  ]);
  const b = columns([{ number: 0, state: 'Complete', value: 5 }]);
  const studies = [
    { name: 'a', trials: a },
    { name: 'b', trials: b }
  ];
  const history = compareHistoryFigure(studies, 'minimize', 0, 'loss');
  const lines = history.data as { name: string; x: number[]; y: number[]; line: { color: string } }[];
  assert.deepEqual(lines.map(l => l.name), ['a', 'b']);
  assert.deepEqual(lines[0].y, [3, 1, 1]);
  assert.deepEqual(lines[0].x, [0, 1, 2]);
  const maximize = compareHistoryFigure(studies, 'maximize', 0, 'loss').data as typeof lines;
  assert.deepEqual(maximize[0].y, [3, 3, 3]);
  const edf = compareEdfFigure(studies, 0, 'loss').data as typeof lines;
  assert.deepEqual(edf.map(l => l.name), ['a', 'b']);
  assert.deepEqual(edf.map(l => l.line.color), lines.map(l => l.line.color));
  assert.notEqual(lines[0].line.color, lines[1].line.color);
});

test('only studies with the same directions can be compared, and never preferential ones', () => {
  const min = summary(1, ['minimize']);
  assert.equal(cannotCompare(summary(2, ['minimize']), [min]), null);
  assert.equal(cannotCompare(min, [min]), null, 'a chosen study itself');
  assert.equal(cannotCompare(summary(3, ['maximize']), []), null, 'nothing chosen yet');
  assert.match(cannotCompare(summary(3, ['maximize']), [min]) ?? '', /directions \(maximize\)/);
  assert.match(cannotCompare(summary(4, ['minimize', 'minimize']), [min]) ?? '', /differ/);
  assert.match(cannotCompare(summary(5, ['minimize'], true), []) ?? '', /preferential/);
});
