import React from 'react';

import { DashboardAPIError } from '../../client';
import { lastDecision, rowsOf } from '../../preference';
import { StudyDetail } from '../../types';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorBanner } from '../ErrorBanner';
import { errorMessage, useClient } from '../context';
import { isEditing, mayTakeFocus } from '../focus';
import { FeedbackCard } from './FeedbackCard';
import { FeedbackSettings } from './FeedbackSettings';

/**
 * "Which trial is the worst?": the active trials side by side. Clicking a card or
 * pressing its number records it as worse than every other shown trial; a card can be
 * skipped; Undo withdraws the last decision.
 */
export function ComparePage(props: {
  storageId: string;
  study: StudyDetail;
  /** Reload the study; the page waits for it after each action. */
  refresh: () => Promise<void>;
}): JSX.Element {
  const client = useClient();
  const { study, storageId } = props;
  const preference = study.preference!;
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const rootRef = React.useRef<HTMLDivElement>(null);
  const candidates = preference.active;
  const rows = rowsOf(study.trials, candidates);
  const undoable = lastDecision(preference.history);

  React.useEffect(() => {
    if (mayTakeFocus(rootRef.current)) {
      rootRef.current?.focus({ preventScroll: true });
    }
  }, []);

  const act = async (action: () => Promise<unknown>) => {
    if (busy) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      const stale = e instanceof DashboardAPIError && e.status === 409;
      setError(stale ? `${errorMessage(e)} The candidates have been reloaded.` : errorMessage(e));
    } finally {
      await props.refresh();
      setBusy(false);
      rootRef.current?.focus({ preventScroll: true });
    }
  };
  const chooseWorst = (number: number) =>
    act(() => client.reportWorst(storageId, study.study_id, candidates, number));
  const skip = (trialId: number) =>
    act(() => client.skipTrial(storageId, study.study_id, trialId));
  const undo = () =>
    undoable &&
    act(() => client.setDecisionRemoved(storageId, study.study_id, undoable.history.id, true));

  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    // Alt/Ctrl/Cmd + digit belong to the browser and the system.
    const chord = event.altKey || event.ctrlKey || event.metaKey;
    if (isEditing(target) || candidates.length < 2 || chord) {
      return;
    }
    const digit = Number(event.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= candidates.length) {
      event.preventDefault();
      void chooseWorst(candidates[digit - 1]);
    }
  };

  const enough = candidates.length >= 2;
  return (
    <div
      ref={rootRef}
      className="jp-OptunaDashboard-compare"
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-busy={busy}
    >
      <div className="jp-OptunaDashboard-compareBar">
        <h3>Which trial is the worst?</h3>
        <span className="jp-OptunaDashboard-cardMeta">
          {enough
            ? `Click a trial or press its number (1–${candidates.length}).`
            : `Waiting for trials to compare: ${candidates.length} active, the generator keeps ${
                preference.n_generate ?? '?'
              }.`}
        </span>
        <span
          className="jp-OptunaDashboard-spinner"
          aria-label={busy ? 'Saving' : undefined}
          style={{ visibility: busy ? 'visible' : 'hidden' }}
        />
        <button
          className="jp-mod-styled"
          disabled={!undoable || busy}
          title={
            undoable
              ? `Withdraw the last pick: trial ${undoable.history.clicked} was the worst (a skip stays)`
              : 'No pick to withdraw'
          }
          onClick={() => void undo()}
        >
          Undo last pick
        </button>
        <FeedbackSettings storageId={storageId} study={study} onSaved={props.refresh} />
      </div>
      <ErrorBanner message={error} />
      <div className="jp-OptunaDashboard-feedbackGrid">
        {rows.map((row, k) => (
          <FeedbackCard
            key={study.trials.trial_id[row]}
            storageId={storageId}
            study={study}
            row={row}
            keyHint={enough ? k + 1 : undefined}
            className={enough && !busy ? 'jp-mod-selectable' : ''}
            onClick={enough ? () => void chooseWorst(study.trials.number[row]) : undefined}
          >
            <div className="jp-OptunaDashboard-cardActions">
              <button
                className="jp-mod-styled jp-mod-warn"
                disabled={!enough || busy}
                title={enough ? undefined : 'Needs at least two trials to compare'}
                onClick={e => {
                  e.stopPropagation();
                  void chooseWorst(study.trials.number[row]);
                }}
              >
                Worst
              </button>
              <ConfirmButton
                className="jp-mod-styled"
                disabled={busy}
                label="Skip"
                question="Skip for good?"
                title="Leave this trial out of the comparisons for good (Undo does not bring it back)"
                onConfirm={() => void skip(study.trials.trial_id[row])}
              />
            </div>
          </FeedbackCard>
        ))}
      </div>
    </div>
  );
}
