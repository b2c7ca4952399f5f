import assert from 'node:assert/strict';
import { test } from 'node:test';

import { objectiveName, objectiveNames } from '../components/format';
import { DEFAULT_HISTORY_OPTIONS, historyFigure } from '../plots/history';
import { Direction } from '../types';
import { columns } from './fixtures';

test('objectives: "Value" alone, "Objective i" among several, else the metric name', () => {
  assert.deepEqual(objectiveNames(null, 1), ['Value']);
  assert.deepEqual(objectiveNames(null, 2), ['Objective 0', 'Objective 1']);
  assert.deepEqual(objectiveNames(['beauty'], 1), ['beauty']);
  assert.deepEqual(objectiveNames(['loss', 'flops'], 2), ['loss', 'flops']);
  assert.equal(objectiveName(null, 0, 1), 'Value');
  assert.equal(objectiveName(undefined, 1, 3), 'Objective 1');
});

test('the history plot names an unnamed single objective as the trial list does', () => {
  const trials = columns([{ number: 0, state: 'Complete', value: 1 }]);
  const options = { ...DEFAULT_HISTORY_OPTIONS, objective: 0 };
  const title = (names: string[] | null, directions: Direction[]) =>
    historyFigure(trials, directions, names, options).layout.yaxis?.title;
  assert.deepEqual(title(null, ['minimize']), { text: 'Value' });
  assert.deepEqual(title(null, ['minimize', 'maximize']), { text: 'Objective 0' });
  assert.deepEqual(title(['loss'], ['minimize']), { text: 'loss' });
});
