import React from 'react';

const DISARM_MS = 5000;

/**
 * A button for an action that cannot be undone: the first click arms it (its label
 * becomes the question), a second click within a few seconds acts; leaving it disarms.
 * Inline rather than `window.confirm`, which sandboxed notebook outputs (VS Code, Colab)
 * may silently refuse. Clicks never reach the parent (a card that acts on click).
 */
export function ConfirmButton(props: {
  label: string;
  /** Shown while armed, e.g. "Really skip?". */
  question: string;
  onConfirm: () => void;
  className?: string;
  title?: string;
  ariaLabel?: string;
  disabled?: boolean;
}): JSX.Element {
  const [armed, setArmed] = React.useState(false);
  React.useEffect(() => {
    if (!armed) {
      return;
    }
    const timer = window.setTimeout(() => setArmed(false), DISARM_MS);
    return () => window.clearTimeout(timer);
  }, [armed]);
  return (
    <button
      className={`${props.className ?? ''}${armed ? ' jp-mod-armed' : ''}`}
      title={props.title}
      aria-label={armed ? props.question : props.ariaLabel}
      disabled={props.disabled}
      onBlur={() => setArmed(false)}
      onClick={e => {
        e.stopPropagation();
        if (armed) {
          setArmed(false);
          props.onConfirm();
        } else {
          setArmed(true);
        }
      }}
    >
      {armed ? props.question : props.label}
    </button>
  );
}
