import React from 'react';

import { StudyPlots } from '../plots/StudyPlots';
import { StorageInfo, StudyDetail, StudySummary } from '../types';
import { ErrorBanner } from './ErrorBanner';
import { useClient } from './context';
import { TrialList } from './TrialList';
import { ArtifactPanel } from './ArtifactPanel';
import { NoteEditor } from './NoteEditor';
import { UserAttrs } from './UserAttrs';
import { TrialDetail } from './TrialDetail';
import { BEST_TITLES, BestTrialCard } from './BestTrialCard';
import { bestTrials } from '../best';
import { useStudy } from './useStudy';
import { AnalyticsPage } from './preferential/AnalyticsPage';
import { decisionsInEffect } from '../preference';
import { plural } from './format';
import { ComparePage } from './preferential/ComparePage';
import { HistoryPage } from './preferential/HistoryPage';
import { SelectionBar } from './selection/SelectionBar';
import { TrialSelectionProvider } from './selection/SelectionContext';

type Tab = 'compare' | 'history' | 'analytics' | 'trials' | 'plots' | 'note';
const TABS: [Tab, string][] = [
  ['trials', 'Trials'],
  ['plots', 'Plots'],
  ['note', 'Study']
];
const PREFERENTIAL_TABS: [Tab, string][] = [
  ['compare', 'Compare'],
  ['history', 'History'],
  ['analytics', 'Analytics'],
  ...TABS
];

/** The tab a study page opens on: the one asked for when the study has it, else the first. */
export function firstTab(asked: string | null | undefined, preferential: boolean): Tab {
  const tabs = preferential ? PREFERENTIAL_TABS : TABS;
  return (tabs.find(([id]) => id === asked) ?? tabs[0])[0];
}

/** What the study page shows: reported so a panel can bring it back after a reload. */
export interface StudyView {
  tab: Tab;
  trial: number | null;
}

/** Whether the study holds artifacts, or its feedback cards would show one. */
function hasArtifacts(study: StudyDetail): boolean {
  return (
    study.artifacts.length > 0 ||
    study.preference?.component.output_type === 'artifact' ||
    Object.values(study.trials.artifacts).some(list => list.length > 0)
  );
}

/** A study's headline facts and its latest trials, refreshed live. */
export function StudyOverview(props: {
  storage: StorageInfo;
  summary: StudySummary;
  refreshIntervalMs: number;
  onBack: () => void;
  /** The tab and trial to show first (a tab the study lacks gives its first tab). */
  initialView?: { tab: string | null; trial: number | null };
  onViewChange?: (view: StudyView) => void;
}): JSX.Element {
  const client = useClient();
  const { onViewChange } = props;
  const [paused, setPaused] = React.useState(false);
  const { study, error, gone, refresh } = useStudy(
    props.storage.storage_id,
    props.summary.study_id,
    paused ? 0 : props.refreshIntervalMs
  );
  const csvUrl = client.trialsCsvUrl(props.storage.storage_id, props.summary.study_id);
  const [selected, setSelected] = React.useState<number | null>(props.initialView?.trial ?? null);
  const [tab, setTab] = React.useState<Tab>(() =>
    firstTab(props.initialView?.tab, props.summary.is_preferential)
  );
  React.useEffect(() => {
    onViewChange?.({ tab, trial: selected });
  }, [tab, selected, onViewChange]);
  const preferential = study?.preference ? true : false;
  const trials = study?.trials;
  const selectedIndex =
    trials && selected !== null ? trials.number.indexOf(selected) : -1;
  const running = trials
    ? trials.number.filter((_, i) => trials.state[i] === 'Running')
    : [];

  const firstRunning = running.length > 0 ? running[0] : null;

  // Open the first running trial (the one waiting for a person) when none is chosen.
  React.useEffect(() => {
    if (selected === null && firstRunning !== null && !preferential) {
      setSelected(firstRunning);
    }
  }, [selected, firstRunning, preferential]);

  const onRated = (number: number) => {
    const next = running.find(n => n !== number && n > number) ?? running.find(n => n !== number);
    setSelected(next ?? null);
    void refresh();
  };
  const paramNames = study ? Object.keys(study.distributions) : [];
  const best = React.useMemo(() => (study ? bestTrials(study) : null), [study]);
  const openTrial = (number: number) => {
    setSelected(number);
    setTab('trials');
  };
  return (
    <div className="jp-OptunaDashboard-study">
      <div className="jp-OptunaDashboard-toolbar">
        <button className="jp-OptunaDashboard-linkButton" onClick={props.onBack}>
          ← Studies
        </button>
        <span className="jp-OptunaDashboard-studyTitle">{props.summary.study_name}</span>
        <span className="jp-OptunaDashboard-cardMeta">
          {props.summary.is_preferential ? '' : `${props.summary.directions.join(', ')} · `}
          {study?.n_trials ?? props.summary.n_trials} trials
        </span>
        {csvUrl && (
          <a className="jp-OptunaDashboard-linkButton" href={csvUrl} download>
            Download CSV
          </a>
        )}
        {props.refreshIntervalMs > 0 && (
          <button
            className="jp-mod-styled"
            aria-pressed={paused}
            title="Live updates poll the storage for new and changed trials"
            onClick={() => setPaused(p => !p)}
          >
            {paused ? 'Resume live updates' : 'Pause live updates'}
          </button>
        )}
        <button className="jp-mod-styled" onClick={() => void refresh()}>
          Reload
        </button>
      </div>
      {gone ? (
        <div className="jp-OptunaDashboard-error" role="alert">
          This study is no longer in the storage (it was deleted, perhaps from another panel
          or a script).{' '}
          <button className="jp-OptunaDashboard-linkButton" onClick={props.onBack}>
            Back to the studies
          </button>
        </div>
      ) : (
        <ErrorBanner message={error} />
      )}
      {!gone && study && !props.storage.artifacts && hasArtifacts(study) && (
        <div className="jp-OptunaDashboard-notice" role="status">
          This storage was opened without an artifact directory, so the study's images and
          other artifacts cannot be shown. Open the storage again with one in the storage
          picker.
        </div>
      )}
      {gone ? null : study === null ? (
        <div className="jp-OptunaDashboard-loading">Loading trials…</div>
      ) : (
        <TrialSelectionProvider study={study}>
          <nav className="jp-OptunaDashboard-tabs" role="tablist">
            {(preferential ? PREFERENTIAL_TABS : TABS).map(([id, label]) => (
              <button
                key={id}
                role="tab"
                aria-selected={tab === id}
                className={tab === id ? 'jp-mod-current' : undefined}
                onClick={() => setTab(id)}
              >
                {label}
              </button>
            ))}
            <span className="jp-OptunaDashboard-waiting">
              {study.preference
                ? `${study.preference.active.length} to compare · ${plural(
                    decisionsInEffect(study.preference.history),
                    'decision'
                  )}`
                : `${plural(running.length, 'running trial')}`}
              {study.form_widgets && running.length > 0 ? ' waiting for a rating' : ''}
            </span>
          </nav>
          {/* Not over the compared trials: they must not move while a person picks. */}
          {best && (tab === 'trials' || tab === 'plots' || tab === 'note') && (
            <BestTrialCard study={study} best={best} onOpen={openTrial} />
          )}
          {(tab === 'trials' || tab === 'plots') && (
            <SelectionBar storage={props.storage} study={study} />
          )}
          {preferential && tab === 'compare' && (
            <ComparePage storageId={props.storage.storage_id} study={study} refresh={refresh} />
          )}
          {preferential && tab === 'history' && (
            <HistoryPage
              storageId={props.storage.storage_id}
              study={study}
              refresh={refresh}
              onOpenTrial={number => {
                setSelected(number);
                setTab('trials');
              }}
            />
          )}
          {preferential && tab === 'analytics' && (
            <AnalyticsPage storageId={props.storage.storage_id} study={study} />
          )}
          {tab === 'trials' && (
            <div className="jp-OptunaDashboard-columns">
              <div className="jp-OptunaDashboard-mainColumn">
                <TrialList
                  trials={study.trials}
                  paramNames={paramNames}
                  metricNames={study.metric_names}
                  objectives={study.directions.length}
                  showValues={!study.preference}
                  form={study.form_widgets}
                  best={
                    best
                      ? {
                          numbers: new Set(best.rows.map(i => study.trials.number[i])),
                          title: BEST_TITLES[best.kind]
                        }
                      : undefined
                  }
                  selected={selected}
                  onSelect={setSelected}
                />
              </div>
              {selectedIndex >= 0 && (
                <TrialDetail
                  storageId={props.storage.storage_id}
                  study={study}
                  index={selectedIndex}
                  onRated={t => onRated(t.number)}
                  onChanged={() => void refresh()}
                />
              )}
            </div>
          )}
          {tab === 'plots' && <StudyPlots storage={props.storage} study={study} />}
          {tab === 'note' && (
            <div className="jp-OptunaDashboard-studyInfo">
              <h4>Note</h4>
              <NoteEditor
                storageId={props.storage.storage_id}
                studyId={study.study_id}
                trialId={null}
                note={study.note}
                onSaved={() => void refresh()}
              />
              <h4>Artifacts</h4>
              <ArtifactPanel
                owner={{ storageId: props.storage.storage_id, studyId: study.study_id }}
                artifacts={study.artifacts}
                onChanged={() => void refresh()}
              />
              <h4>User attributes</h4>
              <UserAttrs attrs={study.user_attrs} />
            </div>
          )}
        </TrialSelectionProvider>
      )}
    </div>
  );
}

