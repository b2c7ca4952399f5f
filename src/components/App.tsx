import React from 'react';

import { DashboardClient } from '../client';
import { EMPTY_PANEL_STATE, PanelState, reopen } from '../panelState';
import { RecentStorage, StorageInfo, StudySummary } from '../types';
import { CompareStudies } from './CompareStudies';
import { ClientContext, errorMessage } from './context';
import { ErrorBanner } from './ErrorBanner';
import { StoragePicker } from './StoragePicker';
import { StudyList } from './StudyList';
import { StudyOverview, StudyView } from './StudyOverview';

export interface AppProps {
  client: DashboardClient;
  /** Storage URLs used before, most recent first. */
  recentStorages: RecentStorage[];
  /**
   * Open this right away: a storage (e.g. from the file browser), or what a panel showed
   * before a reload (its storage, study, tab and trial).
   */
  initialState?: PanelState;
  /** Storage files near the user, offered in the storage picker. */
  findStorageFiles?: () => Promise<string[]>;
  /** Open the server's storage right away when it has exactly one (standalone server). */
  autoOpenSingleStorage?: boolean;
  refreshIntervalMs: number;
  /** Called when a storage was opened, to remember it. */
  onStorageOpened?: (storage: StorageInfo) => void;
  /** Called with a short title when the view changes. */
  onTitleChange?: (title: string) => void;
  /** Called when what the dashboard shows changes, once the initial state is reached. */
  onStateChanged?: (state: PanelState) => void;
}

/**
 * Reaching the initial state: `pending` while it opens, `failed` when its storage could not
 * be opened (the picker says why, and the state is kept until the user opens another).
 */
type Restore = 'pending' | 'failed' | 'done';

/** A study page's tab and trial as saved (the tab is checked when the page opens). */
type SavedView = Pick<PanelState, 'tab' | 'trial'>;

/** The dashboard: storage picker → study list → study page. */
export function App(props: AppProps): JSX.Element {
  const initial = props.initialState ?? EMPTY_PANEL_STATE;
  const [restore, setRestore] = React.useState<Restore>(initial.storage ? 'pending' : 'done');
  const [pickerError, setPickerError] = React.useState<string | null>(null);
  const [storage, setStorage] = React.useState<StorageInfo | null>(null);
  const [study, setStudy] = React.useState<StudySummary | null>(null);
  const [initialView, setInitialView] = React.useState<SavedView | null>(null);
  const [view, setView] = React.useState<StudyView | null>(null);
  const [notice, setNotice] = React.useState<string | null>(null);
  const [compared, setCompared] = React.useState<StudySummary[] | null>(null);
  const { client, onTitleChange, onStateChanged, onStorageOpened } = props;

  React.useEffect(() => {
    const title = study ? study.study_name : storage ? storage.label || storage.url : '';
    onTitleChange?.(title);
  }, [storage, study, onTitleChange]);

  React.useEffect(() => {
    if (!initial.storage) {
      return;
    }
    const target = { ...initial, storage: initial.storage };
    reopen(client, target).then(
      opened => {
        setStorage(opened.storage);
        setStudy(opened.study);
        if (opened.study) {
          setInitialView({ tab: target.tab, trial: target.trial });
        } else if (target.study) {
          setNotice(`The study "${target.study}" is not in this storage any more.`);
        }
        setRestore('done');
        onStorageOpened?.(opened.storage);
      },
      e => {
        setPickerError(errorMessage(e));
        setRestore('failed');
      }
    );
    // The initial state is opened once, when the dashboard mounts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  React.useEffect(() => {
    // Nothing is reported until the initial state is reached, nor for a study page that
    // has not said its tab yet: a reload in between brings back what was asked for.
    if (restore !== 'done' || (study && !view)) {
      return;
    }
    onStateChanged?.({
      storage: storage?.url ?? null,
      artifactDir: storage?.artifact_dir ?? null,
      study: study?.study_name ?? null,
      tab: study && view ? view.tab : null,
      trial: study && view ? view.trial : null
    });
  }, [restore, storage, study, view, onStateChanged]);

  const openStudy = (s: StudySummary | null) => {
    setStudy(s);
    setView(null);
    setInitialView(null);
    setNotice(null);
  };
  const openStorage = (s: StorageInfo) => {
    setStorage(s);
    setCompared(null);
    openStudy(null);
    setPickerError(null);
    setRestore('done');
    onStorageOpened?.(s);
  };

  let content: JSX.Element;
  if (restore === 'pending') {
    content = <div className="jp-OptunaDashboard-loading">Opening {initial.storage}…</div>;
  } else if (storage === null) {
    content = (
      <StoragePicker
        recent={props.recentStorages}
        onOpen={openStorage}
        initialUrl={initial.storage ?? undefined}
        initialArtifactDir={initial.artifactDir ?? undefined}
        initialError={pickerError}
        autoOpenSingle={props.autoOpenSingleStorage}
        findStorageFiles={props.findStorageFiles}
      />
    );
  } else if (study === null && compared !== null) {
    content = (
      <CompareStudies storage={storage} studies={compared} onBack={() => setCompared(null)} />
    );
  } else if (study === null) {
    content = (
      <>
        <ErrorBanner message={notice} onDismiss={() => setNotice(null)} />
        <StudyList
          storage={storage}
          onOpenStudy={openStudy}
          onCompare={setCompared}
          onChangeStorage={() => {
            setStorage(null);
            setNotice(null);
          }}
        />
      </>
    );
  } else {
    content = (
      <StudyOverview
        storage={storage}
        summary={study}
        refreshIntervalMs={props.refreshIntervalMs}
        onBack={() => openStudy(null)}
        initialView={initialView ?? undefined}
        onViewChange={setView}
      />
    );
  }
  return (
    <ClientContext.Provider value={client}>
      <div className="jp-OptunaDashboard">{content}</div>
    </ClientContext.Provider>
  );
}
