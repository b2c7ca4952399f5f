import React from 'react';

import { raterOf, rowsOf } from '../../preference';
import { PreferenceDecision, StudyDetail } from '../../types';
import { ErrorBanner } from '../ErrorBanner';
import { errorMessage, useClient } from '../context';
import { plural } from '../format';
import { MEDIA_GROUP, useMediaGallery } from '../useMediaGallery';
import { useVisible } from '../useVisible';
import { FeedbackContent } from './FeedbackCard';

/**
 * Every decision, newest first: what was compared (each trial's feedback as a
 * thumbnail, the worst crossed out), who decided, and Undo (withdraw) or Restore. A click
 * on a thumbnail opens the decision's media full size.
 */
export function HistoryPage(props: {
  storageId: string;
  study: StudyDetail;
  refresh: () => Promise<void>;
  /** Show a trial in the study's trial list. */
  onOpenTrial?: (number: number) => void;
}): JSX.Element {
  const client = useClient();
  const { study, storageId } = props;
  const [busy, setBusy] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const rootRef = React.useRef<HTMLDivElement>(null);
  const viewer = useMediaGallery(rootRef, {});
  const history = [...study.preference!.history].reverse();

  const toggle = async (id: string, removed: boolean) => {
    setBusy(id);
    setError(null);
    try {
      await client.setDecisionRemoved(storageId, study.study_id, id, removed);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      // Also after a refusal: it says someone else changed the history meanwhile.
      await props.refresh();
      setBusy(null);
    }
  };

  const skipped = study.preference!.skipped;
  return (
    <div ref={rootRef} className="jp-OptunaDashboard-history">
      <ErrorBanner message={error} />
      {history.length === 0 ? (
        <div className="jp-OptunaDashboard-empty">No decision yet.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Compared trials (the worst crossed out)</th>
              <th>Rater</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {history.map(decision => (
              <DecisionRow
                key={decision.history.id}
                storageId={storageId}
                study={study}
                decision={decision}
                busy={busy !== null}
                onToggle={() => void toggle(decision.history.id, !decision.is_removed)}
                onOpenTrial={props.onOpenTrial}
              />
            ))}
          </tbody>
        </table>
      )}
      {skipped.length > 0 && (
        <p className="jp-OptunaDashboard-cardMeta" data-skipped={skipped.join(',')}>
          Skipped, left out of the comparisons for good: {plural(skipped.length, 'trial')} (
          {[...skipped].sort((a, b) => a - b).join(', ')}).
        </p>
      )}
      {viewer}
    </div>
  );
}

/** One decision; its thumbnails load once the row comes near the visible part of the page. */
function DecisionRow(props: {
  storageId: string;
  study: StudyDetail;
  decision: PreferenceDecision;
  busy: boolean;
  onToggle: () => void;
  onOpenTrial?: (number: number) => void;
}): JSX.Element {
  const { study, decision, onOpenTrial } = props;
  const { history: h, is_removed } = decision;
  const ref = React.useRef<HTMLTableRowElement>(null);
  const visible = useVisible(ref);
  const rater = raterOf(decision);
  return (
    <tr
      ref={ref}
      data-decision-id={h.id}
      className={is_removed ? 'jp-mod-removed' : ''}
      {...{ [MEDIA_GROUP]: '' }}
    >
      <td>
        {new Date(h.timestamp).toLocaleString()}
        {is_removed && (
          <span className="jp-OptunaDashboard-undoneLabel" title="Its preferences no longer count">
            undone
          </span>
        )}
      </td>
      <td>
        <ul className="jp-OptunaDashboard-decisionCandidates">
          {h.candidates.map(number => {
            const worst = number === h.clicked;
            const row = rowsOf(study.trials, [number])[0];
            return (
              <li
                key={number}
                className={`jp-OptunaDashboard-candidate${worst ? ' jp-mod-worst' : ''}`}
                data-trial-number={number}
                data-worst={worst ? '' : undefined}
              >
                <div className="jp-OptunaDashboard-candidateMedia">
                  {visible &&
                    (row === undefined ? (
                      <div className="jp-OptunaDashboard-empty">Not loaded</div>
                    ) : (
                      <FeedbackContent
                        storageId={props.storageId}
                        study={study}
                        row={row}
                        thumbnail
                      />
                    ))}
                </div>
                <div className="jp-OptunaDashboard-candidateLabel">
                  {onOpenTrial ? (
                    <button
                      type="button"
                      className="jp-OptunaDashboard-linkButton"
                      title={`Show trial ${number} in the Trials tab`}
                      onClick={() => onOpenTrial(number)}
                    >
                      Trial {number}
                    </button>
                  ) : (
                    `Trial ${number}`
                  )}
                  {worst && <span className="jp-OptunaDashboard-worstLabel">worst</span>}
                </div>
              </li>
            );
          })}
        </ul>
      </td>
      <td className="jp-OptunaDashboard-rater">
        {rater ?? <span title="Not recorded (decided before raters were kept)">—</span>}
      </td>
      <td>
        <button className="jp-mod-styled" disabled={props.busy} onClick={props.onToggle}>
          {is_removed ? 'Restore' : 'Undo'}
        </button>
      </td>
    </tr>
  );
}
