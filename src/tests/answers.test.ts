import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  answerLabel,
  answerSummary,
  formatObjectiveValue,
  formatUserAttr,
  formatValues,
  ratedRows
} from '../answers';
import { ChoiceWidgetJSON, FormWidgets, SliderWidgetJSON } from '../types';
import { columns } from './fixtures';

const choice = (key: string | null = null): ChoiceWidgetJSON => ({
  type: 'choice',
  description: 'How beautiful?',
  choices: ['Bad', 'So-so', 'Good'],
  values: [-1, 0, 1],
  user_attr_key: key
});

const slider = (key: string | null = null): SliderWidgetJSON => ({
  type: 'slider',
  description: 'Warmth',
  min: 0,
  max: 1,
  step: 0.25,
  labels: [
    { value: 0, label: 'Cold' },
    { value: 0.5, label: 'Mild' }
  ],
  user_attr_key: key
});

test('a choice or a slider mark reads as its label with the number', () => {
  assert.equal(answerLabel(choice(), 1), 'Good (1)');
  assert.equal(answerLabel(choice(), -1), 'Bad (-1)');
  assert.equal(answerLabel(choice(), 2), null);
  assert.equal(answerLabel(slider(), 0.5), 'Mild (0.5)');
  assert.equal(answerLabel(slider(), 0.75), null);
  assert.equal(answerLabel({ type: 'text', description: 'Why', optional: true }, 1), null);
  assert.equal(answerLabel(choice(), 'inf'), null);
});

test('objective values are labelled by the widget of the same index only', () => {
  const form: FormWidgets = {
    output_type: 'objective',
    widgets: [choice(), { type: 'user_attr', key: 'accuracy' }]
  };
  assert.equal(formatObjectiveValue(form, 0, 1), 'Good (1)');
  assert.equal(formatObjectiveValue(form, 1, 1), '1');
  assert.equal(formatValues(form, [0, 0.25]), 'So-so (0), 0.250000');
  assert.equal(formatObjectiveValue(null, 0, 1), '1');
  // a user-attr form does not tell values: they are not its answers
  const userAttr: FormWidgets = { output_type: 'user_attr', widgets: [choice('mood')] };
  assert.equal(formatObjectiveValue(userAttr, 0, 1), '1');
});

test('user attrs of a user-attr form are labelled by the widget that wrote them', () => {
  const form: FormWidgets = {
    output_type: 'user_attr',
    widgets: [
      choice('mood'),
      { type: 'text', description: 'Why', optional: true, user_attr_key: 'why' }
    ]
  };
  assert.equal(formatUserAttr(form, 'mood', 1), 'Good (1)');
  assert.equal(formatUserAttr(form, 'why', 'too red'), 'too red');
  assert.equal(formatUserAttr(form, 'other', 'x'), '"x"');
  assert.equal(formatUserAttr(null, 'mood', 1), '1');
});

test('rated trials come from the storage: complete ones, or those holding the answers', () => {
  const trials = columns([
    { number: 0, state: 'Complete', value: 1 },
    { number: 1, state: 'Running' },
    { number: 2, state: 'Complete', value: -1 },
    { number: 3, state: 'Fail' }
  ]);
  const objective: FormWidgets = { output_type: 'objective', widgets: [choice()] };
  assert.deepEqual(ratedRows(objective, trials), [2, 0]); // most recently finished first
  assert.equal(answerSummary(objective, trials, 2), 'Bad (-1)');

  const userAttr: FormWidgets = {
    output_type: 'user_attr',
    widgets: [
      choice('mood'),
      { type: 'text', description: 'Why', optional: true, user_attr_key: 'why' }
    ]
  };
  trials.user_attrs = [null, { mood: 0 }, { why: 'no mood' }, { mood: 1, why: 'red' }];
  assert.deepEqual(ratedRows(userAttr, trials), [3, 1]);
  assert.equal(answerSummary(userAttr, trials, 3), 'mood: Good (1), why: red');
});
