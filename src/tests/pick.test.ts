import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assignSlots } from '../compareSlots';
import { galleryOf, MediaItem, stepIndex } from '../mediaList';
import { PICK_QUIET_MS, PickGuard } from '../pickGuard';

test('a pick right after the previous one is ignored, a later one counts', () => {
  const guard = new PickGuard();
  assert.equal(guard.accept(1000), true);
  assert.equal(guard.accept(1000), false); // the same click twice
  assert.equal(guard.accept(1000 + PICK_QUIET_MS - 1), false);
  assert.equal(guard.accept(1000 + PICK_QUIET_MS), true);
});

test('an ignored pick does not prolong the quiet moment', () => {
  const guard = new PickGuard(600);
  assert.equal(guard.accept(0), true);
  assert.equal(guard.accept(500), false);
  assert.equal(guard.accept(600), true);
  assert.equal(guard.accept(1100), false);
});

test('the first pick counts whatever the clock says', () => {
  assert.equal(new PickGuard().accept(0), true);
  assert.equal(new PickGuard().accept(-5), true);
});

test('cards keep their slots; a picked card leaves its slot empty until a refill', () => {
  let slots = assignSlots([], [3, 5, 7, 9], 4);
  assert.deepEqual(slots, [3, 5, 7, 9]);
  // The second card is picked: the others stay where they are
  slots = assignSlots(slots, [3, 7, 9], 4);
  assert.deepEqual(slots, [3, null, 7, 9]);
  // The generator's next trial takes the empty slot
  slots = assignSlots(slots, [3, 7, 9, 12], 4);
  assert.deepEqual(slots, [3, 12, 7, 9]);
  // Two new trials at once: the first empty slot, then the end
  assert.deepEqual(assignSlots([3, null, 7, null], [3, 7, 20, 21, 22], 4), [3, 20, 7, 21, 22]);
});

test('empty slots beyond the batch go, inner ones only once no card was removed', () => {
  // Undo brought a fifth candidate back; picking one leaves four, the batch size
  const picked = assignSlots([1, 2, 3, 4, 5], [1, 3, 4, 5], 4);
  assert.deepEqual(picked, [1, null, 3, 4, 5]); // nothing moves in the moment of the pick
  assert.deepEqual(assignSlots(picked, [1, 3, 4, 5], 4), [1, 3, 4, 5]); // the next update
  // A trailing empty slot beyond the batch goes at once (no card after it moves)
  assert.deepEqual(assignSlots([1, 2, 3, 4, 5], [1, 2, 3, 4], 4), [1, 2, 3, 4]);
  // Within the batch an empty slot stays, waiting for the refill
  assert.deepEqual(assignSlots([1, 2, 3, 4], [1, 2, 3], 4), [1, 2, 3, null]);
  assert.deepEqual(assignSlots([1, 2, 3, 4], [1, 2, 3], 4), [1, 2, 3, null]);
  assert.deepEqual(assignSlots([1, 2], [], 0), []);
});

function item(src: string, trialNumber: number | null = null): MediaItem {
  return { kind: 'image', src, label: src, trialNumber };
}

test('a gallery shows each source once, in page order, from the one opened', () => {
  const found = [item('a', 1), item('b', 2), item('a', 1), item(''), item('c', 3)];
  const { items, index } = galleryOf(found, 'b');
  assert.deepEqual(
    items.map(i => i.src),
    ['a', 'b', 'c']
  );
  assert.equal(index, 1);
  assert.equal(galleryOf(found, 'x').index, -1);
});

test('arrow keys wrap around the gallery', () => {
  assert.equal(stepIndex(0, 1, 3), 1);
  assert.equal(stepIndex(2, 1, 3), 0);
  assert.equal(stepIndex(0, -1, 3), 2);
  assert.equal(stepIndex(0, 1, 1), 0);
  assert.equal(stepIndex(0, -1, 0), 0);
});
