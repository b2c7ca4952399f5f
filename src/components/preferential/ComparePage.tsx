import React from 'react';

import { DashboardAPIError } from '../../client';
import { Slots, assignSlots } from '../../compareSlots';
import { PickGuard } from '../../pickGuard';
import { lastDecision, rowsOf } from '../../preference';
import { StudyDetail } from '../../types';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorBanner } from '../ErrorBanner';
import { errorMessage, useClient } from '../context';
import { isEditing, mayTakeFocus } from '../focus';
import { useMediaGallery } from '../useMediaGallery';
import { FeedbackCard } from './FeedbackCard';
import { FeedbackSettings } from './FeedbackSettings';

/**
 * "Which trial is the worst?": the active trials side by side. Clicking a card or
 * pressing its number records it as worse than every other shown trial; a card can be
 * skipped; Undo withdraws the last decision. A click on an image opens it full size,
 * where the arrow keys move through the shown trials and the number keys pick.
 *
 * Against an accidental second pick: cards keep their slots (a picked card's slot waits
 * empty for the next trial), a card shows the pick colour only once the pointer has
 * moved over it, and a pick right after another is ignored (PickGuard).
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
  // Read synchronously: two clicks may arrive before React renders the first one's state.
  const busyRef = React.useRef(false);
  const [guard] = React.useState(() => new PickGuard());
  // The card the pointer last moved over (not one that arrived under a still pointer).
  const [hovered, setHovered] = React.useState<number | null>(null);
  const pointer = React.useRef<[number, number] | null>(null);
  const candidates = preference.active;
  const slotsRef = React.useRef<Slots>([]);
  const size = Math.max(candidates.length, preference.n_generate ?? 0);
  const slots = React.useMemo(
    () => (slotsRef.current = assignSlots(slotsRef.current, candidates, size)),
    [candidates.join(','), size]
  );
  const undoable = lastDecision(preference.history);
  const enough = candidates.length >= 2;

  React.useEffect(() => {
    if (mayTakeFocus(rootRef.current)) {
      rootRef.current?.focus({ preventScroll: true });
    }
  }, []);

  const act = async (action: () => Promise<unknown>) => {
    if (busyRef.current) {
      return;
    }
    busyRef.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      const stale = e instanceof DashboardAPIError && e.status === 409;
      setError(stale ? `${errorMessage(e)} The candidates have been reloaded.` : errorMessage(e));
    } finally {
      await props.refresh();
      busyRef.current = false;
      setBusy(false);
      if (mayTakeFocus(rootRef.current)) {
        rootRef.current?.focus({ preventScroll: true });
      }
    }
  };
  /** Record `number` as the worst of the shown trials; false when the pick is ignored. */
  const chooseWorst = (number: number): boolean => {
    if (!enough || busyRef.current || !guard.accept(performance.now())) {
      return false;
    }
    setHovered(null);
    void act(() => client.reportWorst(storageId, study.study_id, candidates, number));
    return true;
  };
  const skip = (trialId: number) =>
    act(() => client.skipTrial(storageId, study.study_id, trialId));
  const undo = () =>
    undoable &&
    act(() => client.setDecisionRemoved(storageId, study.study_id, undoable.history.id, true));

  /** The trial a number key picks (the one in that slot), or null. */
  const pickedBy = (event: React.KeyboardEvent): number | null => {
    // Alt/Ctrl/Cmd + digit belong to the browser and the system; a held key repeats.
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) {
      return null;
    }
    const digit = Number(event.key);
    return Number.isInteger(digit) && digit >= 1 ? slots[digit - 1] ?? null : null;
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const number = isEditing(event.target as HTMLElement) ? null : pickedBy(event);
    if (number !== null) {
      event.preventDefault();
      chooseWorst(number);
    }
  };
  const onPointerMove = (event: React.PointerEvent) => {
    const [x, y] = pointer.current ?? [NaN, NaN];
    if (event.clientX === x && event.clientY === y) {
      return; // the page moved, not the pointer
    }
    pointer.current = [event.clientX, event.clientY];
    const card = (event.target as Element).closest<HTMLElement>('[data-trial-number]');
    const number = card ? Number(card.dataset.trialNumber) : null;
    if (number !== hovered) {
      setHovered(number);
    }
  };

  const viewer = useMediaGallery(rootRef, {
    hint: enough ? `1–${slots.length} pick the worst` : undefined,
    onKey: (event, close) => {
      const number = pickedBy(event);
      if (number !== null && chooseWorst(number)) {
        close();
      }
      return number !== null;
    },
    actions: (item, close) => {
      const slot = item.trialNumber === null ? -1 : slots.indexOf(item.trialNumber);
      return (
        enough &&
        slot >= 0 && (
          <button
            type="button"
            className="jp-mod-styled jp-mod-warn"
            disabled={busy}
            aria-label={`Trial ${item.trialNumber} is the worst`}
            title={`Pick trial ${item.trialNumber} as the worst (key ${slot + 1})`}
            onClick={() => chooseWorst(item.trialNumber!) && close()}
          >
            Worst <kbd className="jp-OptunaDashboard-keyHint">{slot + 1}</kbd>
          </button>
        )
      );
    }
  });

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
            ? `Click a trial or press its number (1–${slots.length}); ` +
              'click an image for full size.'
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
      <div
        className="jp-OptunaDashboard-feedbackGrid"
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHovered(null)}
      >
        {slots.map((number, k) => {
          const row = number === null ? undefined : rowsOf(study.trials, [number])[0];
          if (number === null || row === undefined) {
            return (
              <div key={`empty-${k}`} className="jp-OptunaDashboard-cardSlot" data-slot={k + 1}>
                <kbd className="jp-OptunaDashboard-keyHint">{k + 1}</kbd>
                Waiting for the next trial…
              </div>
            );
          }
          const selectable = enough && !busy;
          return (
            <FeedbackCard
              key={study.trials.trial_id[row]}
              storageId={storageId}
              study={study}
              row={row}
              keyHint={enough ? k + 1 : undefined}
              className={
                (selectable ? 'jp-mod-selectable' : '') +
                (selectable && hovered === number ? ' jp-mod-hover' : '')
              }
              onClick={enough ? () => chooseWorst(number) : undefined}
            >
              <div className="jp-OptunaDashboard-cardActions">
                <button
                  className="jp-mod-styled jp-mod-warn"
                  disabled={!enough || busy}
                  title={enough ? undefined : 'Needs at least two trials to compare'}
                  onClick={e => {
                    e.stopPropagation();
                    chooseWorst(number);
                  }}
                >
                  Worst
                </button>
                <ConfirmButton
                  className="jp-mod-styled"
                  disabled={busy}
                  label="Skip"
                  question="Skip for good?"
                  title={
                    'Leave this trial out of the comparisons for good ' +
                    '(Undo does not bring it back)'
                  }
                  onConfirm={() => void skip(study.trials.trial_id[row])}
                />
              </div>
            </FeedbackCard>
          );
        })}
      </div>
      {viewer}
    </div>
  );
}
