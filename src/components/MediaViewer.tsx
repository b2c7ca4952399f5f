import React from 'react';
import { createPortal } from 'react-dom';

import { MediaItem, stepIndex } from '../mediaList';

const FOCUSABLE =
  'button:not(:disabled), a[href], video[controls], [tabindex]:not([tabindex="-1"])';

/**
 * One medium at full size (fit to the window) over everything: a modal dialog attached
 * to the document's body, like JupyterLab's own dialogs, so that no panel or notebook
 * cell clips it. ArrowLeft/ArrowRight move between the items, Escape closes, the focus
 * stays inside while it is open and goes back to `returnFocus()` after. Other keys go
 * to `onKey`. Events stop at the dialog: React would pass them on to the handlers of
 * the component that opened it (a card that picks on click, a form that submits on
 * Enter), although the dialog is not inside it in the page.
 */
export function MediaViewer(props: {
  items: MediaItem[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
  /** Where the focus goes when the view closes. */
  returnFocus: () => HTMLElement | null;
  /** A key the view has no use for; true when it was handled. */
  onKey?: (event: React.KeyboardEvent) => boolean;
  /** What else the keys do here, e.g. "1–4 pick the worst". */
  hint?: string;
  /** Controls for the medium shown (e.g. "Worst"). */
  actions?: React.ReactNode;
}): JSX.Element {
  const { items, index } = props;
  const item = items[index];
  const dialogRef = React.useRef<HTMLDivElement>(null);
  const returnFocus = React.useRef(props.returnFocus);
  returnFocus.current = props.returnFocus;

  React.useEffect(() => {
    const dialog = dialogRef.current;
    dialog?.focus({ preventScroll: true });
    // The backdrop takes every click; focus moved out some other way (a script, a Lab
    // shortcut) comes back.
    const keepFocus = (event: FocusEvent) => {
      if (dialog && !dialog.contains(event.target as Node)) {
        dialog.focus({ preventScroll: true });
      }
    };
    document.addEventListener('focusin', keepFocus);
    return () => {
      document.removeEventListener('focusin', keepFocus);
      returnFocus.current()?.focus({ preventScroll: true });
    };
  }, []);

  const move = (step: number) => props.onIndex(stepIndex(index, step, items.length));

  const trapTab = (event: React.KeyboardEvent) => {
    const focusable = Array.from(
      dialogRef.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = document.activeElement;
    if (!first) {
      event.preventDefault();
    } else if (event.shiftKey && (active === first || active === dialogRef.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    event.stopPropagation();
    const chord = event.altKey || event.ctrlKey || event.metaKey;
    if (event.key === 'Tab') {
      trapTab(event);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      props.onClose();
    } else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && !chord) {
      event.preventDefault();
      move(event.key === 'ArrowRight' ? 1 : -1);
    } else if (props.onKey?.(event)) {
      event.preventDefault();
    }
  };

  const trial = item.trialNumber !== null ? `Trial ${item.trialNumber}` : '';
  const title = [trial, item.label].filter(Boolean).join(' · ');
  const several = items.length > 1;
  return createPortal(
    <div
      ref={dialogRef}
      className="jp-OptunaDashboard-mediaViewer"
      role="dialog"
      aria-modal="true"
      aria-label={`Full size: ${title || 'medium'}`}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onClick={e => e.stopPropagation()}
      onPointerMove={e => e.stopPropagation()}
    >
      <div className="jp-OptunaDashboard-mediaViewerBar">
        <span className="jp-OptunaDashboard-mediaViewerTitle">{title}</span>
        {several && (
          <span className="jp-OptunaDashboard-cardMeta">
            {index + 1} of {items.length}
          </span>
        )}
        <span className="jp-OptunaDashboard-mediaViewerSpacer" />
        {props.actions}
        {several && (
          <>
            <button
              type="button"
              className="jp-mod-styled"
              aria-label="Previous"
              title="Previous (←)"
              onClick={() => move(-1)}
            >
              ←
            </button>
            <button
              type="button"
              className="jp-mod-styled"
              aria-label="Next"
              title="Next (→)"
              onClick={() => move(1)}
            >
              →
            </button>
          </>
        )}
        <button
          type="button"
          className="jp-mod-styled"
          aria-label="Close"
          title="Close (Esc)"
          onClick={props.onClose}
        >
          ✕
        </button>
      </div>
      <div
        className="jp-OptunaDashboard-mediaViewerStage"
        onClick={e => e.target === e.currentTarget && props.onClose()}
      >
        {item.kind === 'image' ? (
          <img key={item.src} src={item.src} alt={item.label} />
        ) : (
          <video key={item.src} src={item.src} controls aria-label={item.label} />
        )}
      </div>
      <div className="jp-OptunaDashboard-mediaViewerHint">
        {[several ? '← → move' : '', props.hint ?? '', 'Esc closes']
          .filter(Boolean)
          .join(' · ')}
      </div>
    </div>,
    document.body
  );
}
