import React from 'react';

import { CompareStudies } from '../components/CompareStudies';
import { ErrorBanner } from '../components/ErrorBanner';
import { ComparePage } from '../components/preferential/ComparePage';
import { errorMessage, useClient } from '../components/context';
import { StudyList } from '../components/StudyList';
import { StudyOverview } from '../components/StudyOverview';
import { useStudy } from '../components/useStudy';
import { StorageInfo, StudySummary } from '../types';

/** The dashboard of one storage in a cell: its study list, or one study's page. */
export function CellDashboard(props: {
  storage: StorageInfo;
  studyId: number | null;
  refreshIntervalMs: number;
}): JSX.Element {
  const client = useClient();
  const [study, setStudy] = React.useState<StudySummary | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [compared, setCompared] = React.useState<StudySummary[] | null>(null);
  const sid = props.storage.storage_id;

  React.useEffect(() => {
    if (props.studyId === null) {
      return;
    }
    client.listStudies(sid).then(
      studies => {
        const found = studies.find(s => s.study_id === props.studyId);
        found ? setStudy(found) : setError(`Study ${props.studyId} is not in this storage.`);
      },
      e => setError(errorMessage(e))
    );
  }, [client, sid, props.studyId]);

  if (error) {
    return <ErrorBanner message={error} />;
  }
  if (study === null && compared !== null) {
    return (
      <CompareStudies storage={props.storage} studies={compared} onBack={() => setCompared(null)} />
    );
  }
  if (study === null) {
    return props.studyId === null ? (
      <StudyList storage={props.storage} onOpenStudy={setStudy} onCompare={setCompared} />
    ) : (
      <div className="jp-OptunaDashboard-loading">Loading the study…</div>
    );
  }
  return (
    <StudyOverview
      storage={props.storage}
      summary={study}
      refreshIntervalMs={props.refreshIntervalMs}
      onBack={() => setStudy(null)}
    />
  );
}

/** "Which trial is the worst?" of one preferential study, refreshed live. */
export function CompareTrials(props: {
  storageId: string;
  studyId: number;
  refreshIntervalMs: number;
}): JSX.Element {
  const { study, error, refresh } = useStudy(props.storageId, props.studyId, props.refreshIntervalMs);
  return (
    <>
      <ErrorBanner message={error} />
      {study === null ? (
        !error && <div className="jp-OptunaDashboard-loading">Loading trials…</div>
      ) : study.preference ? (
        <ComparePage storageId={props.storageId} study={study} refresh={refresh} />
      ) : (
        <ErrorBanner message="This study is not preferential." />
      )}
    </>
  );
}
