import React from 'react';

import { StudyDetail } from '../../types';
import { ErrorBanner } from '../ErrorBanner';
import { errorMessage, useClient } from '../context';
import { plural } from '../format';

/** Every decision, newest first, with Undo (withdraw) or Restore. */
export function HistoryPage(props: {
  storageId: string;
  study: StudyDetail;
  refresh: () => Promise<void>;
}): JSX.Element {
  const client = useClient();
  const { study, storageId } = props;
  const [busy, setBusy] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
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
  const skips = skipped.length > 0 && (
    <p className="jp-OptunaDashboard-cardMeta" data-skipped={skipped.join(',')}>
      Skipped, left out of the comparisons for good: {plural(skipped.length, 'trial')} (
      {[...skipped].sort((a, b) => a - b).join(', ')}).
    </p>
  );
  if (history.length === 0) {
    return (
      <div className="jp-OptunaDashboard-history">
        <div className="jp-OptunaDashboard-empty">No decision yet.</div>
        {skips}
      </div>
    );
  }
  return (
    <div className="jp-OptunaDashboard-history">
      <ErrorBanner message={error} />
      <table>
        <thead>
          <tr>
            <th>Time</th>
            <th>Compared trials (the worst in bold)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {history.map(({ history: h, is_removed }) => (
            <tr key={h.id} data-decision-id={h.id} className={is_removed ? 'jp-mod-removed' : ''}>
              <td>{new Date(h.timestamp).toLocaleString()}</td>
              <td>
                {h.candidates.map((n, i) => (
                  <React.Fragment key={n}>
                    {i > 0 && ', '}
                    {n === h.clicked ? <strong>{n}</strong> : n}
                  </React.Fragment>
                ))}
                {is_removed && <span className="jp-OptunaDashboard-cardMeta"> (undone)</span>}
              </td>
              <td>
                <button
                  className="jp-mod-styled"
                  disabled={busy !== null}
                  onClick={() => void toggle(h.id, !is_removed)}
                >
                  {is_removed ? 'Restore' : 'Undo'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {skips}
    </div>
  );
}
