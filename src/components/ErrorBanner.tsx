import React from 'react';

/** A readable error with an optional dismiss button. */
export function ErrorBanner(props: {
  message: string | null;
  onDismiss?: () => void;
}): JSX.Element | null {
  if (!props.message) {
    return null;
  }
  return (
    <div className="jp-OptunaDashboard-error" role="alert">
      <span>{props.message}</span>
      {props.onDismiss && (
        <button
          className="jp-OptunaDashboard-linkButton"
          aria-label="Dismiss"
          onClick={props.onDismiss}
        >
          ×
        </button>
      )}
    </div>
  );
}
