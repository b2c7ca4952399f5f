/**
 * The guard against an accidental second pick on the comparison page: a pick within a
 * short moment after the previous one (the second click of a double click, a bounced
 * key, a click aimed at a card that has just been replaced) is ignored. The Lab panel
 * and the notebook widget share the comparison page, and with it this guard.
 */

/** How long after a pick another one is ignored, in milliseconds. */
export const PICK_QUIET_MS = 600;

export class PickGuard {
  private last = -Infinity;

  constructor(private readonly quietMs: number = PICK_QUIET_MS) {}

  /**
   * Whether a pick at `now` (milliseconds on a monotonic clock) counts. A pick that counts
   * starts a new quiet moment; an ignored one does not prolong it.
   */
  accept(now: number): boolean {
    if (now - this.last < this.quietMs) {
      return false;
    }
    this.last = now;
    return true;
  }
}
