/**
 * Where each candidate of the comparison page sits, so that no card moves under a still
 * pointer. A card keeps its slot while it is a candidate; a picked (or skipped) card
 * leaves its slot empty, and the next new candidate takes the first empty slot.
 */

/** The trial number in each slot, or null for an empty one (a placeholder). */
export type Slots = (number | null)[];

/**
 * The slots for `candidates`, kept from `previous` where possible. `size` is how many
 * slots the page wants (the generator's batch): empty slots beyond it go, trailing ones
 * at once, inner ones only on an update that removed no card (so never in the moment
 * after a pick, when they would shift the cards after them).
 */
export function assignSlots(previous: Slots, candidates: number[], size: number): Slots {
  const wanted = new Set(candidates);
  const removed = previous.some(n => n !== null && !wanted.has(n));
  const slots: Slots = previous.map(n => (n !== null && wanted.has(n) ? n : null));
  const placed = new Set(slots);
  for (const n of candidates) {
    if (placed.has(n)) {
      continue;
    }
    const free = slots.indexOf(null);
    if (free >= 0) {
      slots[free] = n;
    } else {
      slots.push(n);
    }
    placed.add(n);
  }
  while (slots.length > size && slots[slots.length - 1] === null) {
    slots.pop();
  }
  for (let i = slots.length - 1; !removed && i >= 0 && slots.length > size; i--) {
    if (slots[i] === null) {
      slots.splice(i, 1);
    }
  }
  return slots;
}
