import React from 'react';

import { DashboardClient } from '../client';
import { RecentStorage, StorageInfo, StudySummary } from '../types';
import { ClientContext } from './context';
import { StoragePicker } from './StoragePicker';
import { StudyList } from './StudyList';
import { StudyOverview } from './StudyOverview';

export interface AppProps {
  client: DashboardClient;
  /** Storage URLs used before, most recent first. */
  recentStorages: RecentStorage[];
  /** Open this storage right away (e.g. from the file browser). */
  initialStorage?: string;
  /** Storage files near the user, offered in the storage picker. */
  findStorageFiles?: () => Promise<string[]>;
  /** Open the server's storage right away when it has exactly one (standalone server). */
  autoOpenSingleStorage?: boolean;
  refreshIntervalMs: number;
  /** Called when a storage was opened, to remember it. */
  onStorageOpened?: (storage: StorageInfo) => void;
  /** Called with a short title when the view changes. */
  onTitleChange?: (title: string) => void;
}

/** The dashboard: storage picker → study list → study page. */
export function App(props: AppProps): JSX.Element {
  const [storage, setStorage] = React.useState<StorageInfo | null>(null);
  const [study, setStudy] = React.useState<StudySummary | null>(null);
  const { onTitleChange } = props;

  React.useEffect(() => {
    const title = study ? study.study_name : storage ? storage.label || storage.url : '';
    onTitleChange?.(title);
  }, [storage, study, onTitleChange]);

  const openStorage = (s: StorageInfo) => {
    setStorage(s);
    setStudy(null);
    props.onStorageOpened?.(s);
  };

  let view: JSX.Element;
  if (storage === null) {
    view = (
      <StoragePicker
        recent={props.recentStorages}
        onOpen={openStorage}
        initialUrl={props.initialStorage}
        autoOpenSingle={props.autoOpenSingleStorage}
        findStorageFiles={props.findStorageFiles}
      />
    );
  } else if (study === null) {
    view = (
      <StudyList
        storage={storage}
        onOpenStudy={setStudy}
        onChangeStorage={() => setStorage(null)}
      />
    );
  } else {
    view = (
      <StudyOverview
        storage={storage}
        summary={study}
        refreshIntervalMs={props.refreshIntervalMs}
        onBack={() => setStudy(null)}
      />
    );
  }
  return (
    <ClientContext.Provider value={props.client}>
      <div className="jp-OptunaDashboard">{view}</div>
    </ClientContext.Provider>
  );
}
