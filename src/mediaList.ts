/**
 * The media a full-size view moves through: what it shows of each, one entry per source
 * (a trial's note and its artifact list often show the same image), in page order.
 */

/** A medium the full-size view shows. */
export interface MediaItem {
  kind: 'image' | 'video';
  src: string;
  /** Its alt text or file name. */
  label: string;
  /** The trial whose card or detail shows it, if any. */
  trialNumber: number | null;
}

/** The items without repeated sources, and the index of the one with `openedSrc` (or -1). */
export function galleryOf(
  found: MediaItem[],
  openedSrc: string
): { items: MediaItem[]; index: number } {
  const items: MediaItem[] = [];
  const seen = new Set<string>();
  for (const item of found) {
    if (item.src && !seen.has(item.src)) {
      seen.add(item.src);
      items.push(item);
    }
  }
  return { items, index: items.findIndex(item => item.src === openedSrc) };
}

/** The index `step` places after `index` among `length` items, wrapping around. */
export function stepIndex(index: number, step: number, length: number): number {
  return length === 0 ? 0 : (((index + step) % length) + length) % length;
}
