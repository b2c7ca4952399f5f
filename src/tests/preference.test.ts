import assert from 'node:assert/strict';
import { test } from 'node:test';

import { preferenceSliceFigure } from '../plots/figures';
import { cardContent, lastDecision, preferenceScores, raterOf, rowsOf } from '../preference';
import { PreferenceDecision } from '../types';
import { columns } from './fixtures';

function decision(id: string, candidates: number[], clicked: number, removed = false): PreferenceDecision {
  return {
    history: {
      mode: 'ChooseWorst',
      id,
      timestamp: '2026-11-25T10:00:00',
      candidates,
      clicked,
      preferences: candidates.filter(n => n !== clicked).map(n => [n, clicked] as [number, number])
    },
    is_removed: removed
  };
}

test('undo withdraws the latest decision that still counts', () => {
  const history = [decision('a', [0, 1], 1), decision('b', [0, 2], 2), decision('c', [0, 3], 0, true)];
  assert.equal(lastDecision(history)?.history.id, 'b');
  assert.equal(lastDecision([decision('a', [0, 1], 1, true)]), null);
  assert.equal(lastDecision([]), null);
});

test('the rater is the recorded name, or none for older and blank records', () => {
  const named = (user: unknown) => {
    const d = decision('a', [0, 1], 1);
    return { ...d, history: { ...d.history, user } } as PreferenceDecision;
  };
  assert.equal(raterOf(named('Anonymous Io')), 'Anonymous Io');
  assert.equal(raterOf(named('  Ada ')), 'Ada');
  assert.equal(raterOf(decision('a', [0, 1], 1)), null);
  for (const blank of ['', '   ', 42, null]) {
    assert.equal(raterOf(named(blank)), null, String(blank));
  }
});

test('scores count wins minus losses and ignore undone decisions', () => {
  const scores = preferenceScores([
    decision('a', [0, 1, 2], 2),
    decision('b', [0, 1], 1),
    decision('c', [1, 0], 0, true)
  ]);
  assert.deepEqual(Object.fromEntries(scores), { 0: 2, 1: 0, 2: -2 });
});

test('rows of trial numbers, in the order asked', () => {
  const trials = columns([0, 1, 2, 3].map(n => ({ number: n, state: 'Running' as const })));
  assert.deepEqual(rowsOf(trials, [3, 1, 7]), [3, 1]);
});

test('a card shows the note, the artifact named by the user attr, or why it cannot', () => {
  const trials = columns([{ number: 0, state: 'Running' }, { number: 1, state: 'Running' }]);
  trials.notes['100'] = { version: 1, body: '# red' };
  const image = { artifact_id: 'img-1', filename: 'a.png', mimetype: 'image/png', encoding: null };
  trials.artifacts['101'] = [image];
  trials.user_attrs[1] = { image: 'img-1' };
  assert.deepEqual(cardContent(trials, 0, { output_type: 'note' }), { kind: 'note', body: '# red' });
  assert.deepEqual(cardContent(trials, 1, { output_type: 'note' }), { kind: 'note', body: '' });
  const byImage = { output_type: 'artifact', artifact_key: 'image' } as const;
  assert.deepEqual(cardContent(trials, 1, byImage), { kind: 'artifact', artifact: image });
  assert.equal(cardContent(trials, 0, byImage).kind, 'missing');
  trials.user_attrs[0] = { image: 'not-uploaded' };
  const missing = cardContent(trials, 0, byImage);
  assert.ok(missing.kind === 'missing' && missing.message.includes('not-uploaded'));
});

test('the preference slice plots compared trials only, at their score', () => {
  const trials = columns([
    { number: 0, state: 'Complete', x: 0.1 },
    { number: 1, state: 'Complete', x: 0.5 },
    { number: 2, state: 'Running', x: 0.9 }
  ]);
  const scores = new Map([
    [0, 1],
    [1, -1]
  ]);
  const figure = preferenceSliceFigure(trials, 'x', undefined, scores);
  const trace = figure.data[0] as { x: number[]; y: number[] };
  assert.deepEqual(trace.x, [0.1, 0.5]);
  assert.deepEqual(trace.y, [1, -1]);
});
