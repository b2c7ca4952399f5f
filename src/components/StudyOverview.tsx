import React from 'react';

import { HistoryPlot } from '../plots/HistoryPlot';
import { TrialRow, trialRow } from '../trials';
import { StorageInfo, StudySummary } from '../types';
import { ErrorBanner } from './ErrorBanner';
import { formatNumber } from './format';
import { useStudy } from './useStudy';

const SHOWN_TRIALS = 200;

/** A study's headline facts and its latest trials, refreshed live. */
export function StudyOverview(props: {
  storage: StorageInfo;
  summary: StudySummary;
  refreshIntervalMs: number;
  onBack: () => void;
}): JSX.Element {
  const { study, error, refresh } = useStudy(
    props.storage.storage_id,
    props.summary.study_id,
    props.refreshIntervalMs
  );
  const trials = study?.trials;
  const paramNames = study ? Object.keys(study.distributions) : [];
  const count = trials?.number.length ?? 0;
  const first = Math.max(0, count - SHOWN_TRIALS);
  const rows = [];
  for (let i = count - 1; trials && i >= first; i--) {
    rows.push(trialRow(trials, i));
  }
  return (
    <div className="jp-OptunaDashboard-study">
      <div className="jp-OptunaDashboard-toolbar">
        <button className="jp-OptunaDashboard-linkButton" onClick={props.onBack}>
          ← Studies
        </button>
        <span className="jp-OptunaDashboard-studyTitle">{props.summary.study_name}</span>
        <span className="jp-OptunaDashboard-cardMeta">
          {props.summary.directions.join(', ')} · {study?.n_trials ?? props.summary.n_trials} trials
        </span>
        <button className="jp-mod-styled" onClick={() => void refresh()}>
          Reload
        </button>
      </div>
      <ErrorBanner message={error} />
      {study === null ? (
        <div className="jp-OptunaDashboard-loading">Loading trials…</div>
      ) : (
        <>
          {study.directions.length > 0 && <HistoryPlot study={study} />}
          <TrialTable rows={rows} paramNames={paramNames} metricNames={study.metric_names} />
        </>
      )}
    </div>
  );
}

function TrialTable(props: {
  rows: TrialRow[];
  paramNames: string[];
  metricNames: string[] | null;
}): JSX.Element {
  return (
    <table className="jp-OptunaDashboard-trialTable">
      <thead>
        <tr>
          <th>#</th>
          <th>State</th>
          <th>{(props.metricNames ?? ['Value']).join(', ')}</th>
          {props.paramNames.map(p => (
            <th key={p}>{p}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(r => (
          <tr key={r.number} data-trial-number={r.number}>
            <td>{r.number}</td>
            <td>{r.state}</td>
            <td>{r.values ? r.values.map(formatNumber).join(', ') : '—'}</td>
            {props.paramNames.map(p => (
              <td key={p}>{p in r.params ? String(r.params[p]) : ''}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
