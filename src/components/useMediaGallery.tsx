import React from 'react';

import { galleryOf, MediaItem } from '../mediaList';
import { MediaViewer } from './MediaViewer';

/** On the element whose media a gallery shows (the styles show its full-size buttons). */
const GALLERY = 'data-media-gallery';
/** On each image of a gallery: it takes the focus, and a click or Enter opens the view. */
const VIEWABLE = 'data-media-viewable';
/** On a button that opens the view on the image or video of its figure. */
const OPENER = 'data-media-open';
/** On a part of the gallery whose media the view moves through on their own (a row). */
export const MEDIA_GROUP = 'data-media-group';
const MEDIA = `img[${VIEWABLE}], video[src]`;

export interface MediaGalleryOptions {
  /** The element whose media the view moves through, found from the hook's element. */
  scope?: (element: HTMLElement) => HTMLElement | null;
  /** A key the view has no use for (a number key that picks); true when it was handled. */
  onKey?: (event: React.KeyboardEvent, close: () => void) => boolean;
  /** What else the keys do in the view. */
  hint?: string;
  /** Controls in the view for the medium shown. */
  actions?: (item: MediaItem, close: () => void) => React.ReactNode;
}

function trialOf(element: Element): number | null {
  const holder = element.closest<HTMLElement>('[data-trial-number]');
  const number = Number(holder?.dataset.trialNumber ?? NaN);
  return Number.isInteger(number) ? number : null;
}

function mediaIn(scope: HTMLElement): MediaItem[] {
  return Array.from(scope.querySelectorAll<HTMLImageElement | HTMLVideoElement>(MEDIA)).map(
    element => ({
      kind: element.tagName === 'IMG' ? 'image' : 'video',
      src: element.src,
      label: (element as HTMLImageElement).alt || (element.getAttribute('aria-label') ?? ''),
      trialNumber: trialOf(element)
    })
  );
}

function markImages(scope: HTMLElement): void {
  scope.querySelectorAll('img[src]').forEach(img => {
    if (!img.hasAttribute(VIEWABLE)) {
      img.setAttribute(VIEWABLE, '');
      img.setAttribute('tabindex', '0');
      img.setAttribute('role', 'button');
      img.setAttribute('aria-haspopup', 'dialog');
    }
  });
}

function unmarkImages(scope: HTMLElement): void {
  scope.querySelectorAll(`img[${VIEWABLE}]`).forEach(img => {
    for (const name of [VIEWABLE, 'tabindex', 'role', 'aria-haspopup']) {
      img.removeAttribute(name);
    }
  });
}

/**
 * The full-size view of the images and videos inside an element: a click on an image,
 * Enter on a focused image or video, or a figure's full-size button opens it on that
 * medium, and the arrow keys move through the others. Images come from any source (a
 * note's Markdown, an artifact), so the gallery works on the page's elements: it makes
 * the images focusable and catches the clicks before the element's own handlers (a
 * card that picks on click). Media inside an element marked with `MEDIA_GROUP` make a
 * view of that element's media only. Returns the view to render while it is open.
 */
export function useMediaGallery(
  ref: React.RefObject<HTMLElement>,
  options: MediaGalleryOptions,
  deps: React.DependencyList = []
): JSX.Element | null {
  const [view, setView] = React.useState<{
    items: MediaItem[];
    index: number;
    opener: HTMLElement;
  } | null>(null);
  const close = React.useCallback(() => setView(null), []);
  const scopeOf = React.useRef(options.scope);
  scopeOf.current = options.scope;

  React.useEffect(() => {
    const element = ref.current;
    const scope = element && (scopeOf.current ? scopeOf.current(element) : element);
    if (!scope) {
      return;
    }
    const open = (medium: HTMLElement, opener: HTMLElement) => {
      const group = medium.closest<HTMLElement>(`[${MEDIA_GROUP}]`);
      const within = group && scope.contains(group) ? group : scope;
      const { items, index } = galleryOf(mediaIn(within), (medium as HTMLImageElement).src);
      if (index >= 0) {
        setView({ items, index, opener });
      }
    };
    const onClick = (event: MouseEvent) => {
      const target = event.target as Element;
      const chord = event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
      const button = target.closest<HTMLElement>(`[${OPENER}]`);
      const medium = button
        ? button.closest('figure')?.querySelector<HTMLElement>(MEDIA)
        : target.closest<HTMLElement>(`img[${VIEWABLE}]`);
      if (event.button !== 0 || chord || !(button || medium)) {
        return;
      }
      // Before the handlers of the elements around it: a click here never also picks.
      event.preventDefault();
      event.stopPropagation();
      if (medium) {
        open(medium, button ?? medium);
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      const chord = event.altKey || event.ctrlKey || event.metaKey;
      const image = target.matches(`img[${VIEWABLE}]`);
      const opens = event.key === 'Enter' || (event.key === ' ' && image);
      if (opens && !chord && !event.repeat && (image || target.matches('video[src]'))) {
        event.preventDefault();
        event.stopPropagation();
        open(target, target);
      }
    };
    scope.setAttribute(GALLERY, '');
    markImages(scope);
    // Images arrive later (an artifact's URL, a note's image once resolved).
    const observer = new MutationObserver(() => markImages(scope));
    observer.observe(scope, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['src']
    });
    scope.addEventListener('click', onClick, true);
    scope.addEventListener('keydown', onKeyDown, true);
    return () => {
      scope.removeEventListener('click', onClick, true);
      scope.removeEventListener('keydown', onKeyDown, true);
      observer.disconnect();
      unmarkImages(scope);
      scope.removeAttribute(GALLERY);
      setView(null);
    };
  }, deps);

  if (view === null) {
    return null;
  }
  const onKey = options.onKey;
  return (
    <MediaViewer
      items={view.items}
      index={view.index}
      onIndex={index => setView({ ...view, index })}
      onClose={close}
      returnFocus={() => (view.opener.isConnected ? view.opener : ref.current)}
      onKey={onKey && (event => onKey(event, close))}
      hint={options.hint}
      actions={options.actions?.(view.items[view.index], close)}
    />
  );
}
