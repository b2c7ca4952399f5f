import React from 'react';

import { Direction, StorageInfo, StudySummary } from '../types';
import { cannotCompare } from '../plots/compare';
import { CompareBar, CompareCheck } from './CompareChooser';
import { ConfirmButton } from './ConfirmButton';
import { ErrorBanner } from './ErrorBanner';
import { errorMessage, useClient } from './context';
import { formatNumber } from './format';
import { Select } from './Select';

type SortKey = 'name' | 'trials' | 'newest';

export interface StudyListProps {
  storage: StorageInfo;
  onOpenStudy: (study: StudySummary) => void;
  /** Back to the storage picker (no link when absent: a cell shows one storage). */
  onChangeStorage?: () => void;
  /** Compare the chosen studies (no tick boxes when absent). */
  onCompare?: (studies: StudySummary[]) => void;
}

/** The studies of one storage: search, sort, create, rename, delete, reload. */
export function StudyList(props: StudyListProps): JSX.Element {
  const client = useClient();
  const sid = props.storage.storage_id;
  const [studies, setStudies] = React.useState<StudySummary[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [query, setQuery] = React.useState('');
  const [sort, setSort] = React.useState<SortKey>('newest');
  const [newName, setNewName] = React.useState('');
  const [newDirections, setNewDirections] = React.useState<Direction[]>(['minimize']);
  const [compareIds, setCompareIds] = React.useState<number[]>([]);
  const chosen = compareIds.flatMap(id => studies?.find(s => s.study_id === id) ?? []);

  const reload = React.useCallback(async () => {
    try {
      setStudies(await client.listStudies(sid));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
      setStudies(s => s ?? []);
    }
  }, [client, sid]);

  React.useEffect(() => {
    void reload();
  }, [reload]);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const shown = React.useMemo(() => {
    const needle = query.trim().toLowerCase();
    const list = (studies ?? []).filter(s => s.study_name.toLowerCase().includes(needle));
    const byKey: Record<SortKey, (a: StudySummary, b: StudySummary) => number> = {
      name: (a, b) => a.study_name.localeCompare(b.study_name),
      trials: (a, b) => b.n_trials - a.n_trials,
      newest: (a, b) => b.study_id - a.study_id
    };
    return list.sort(byKey[sort]);
  }, [studies, query, sort]);

  return (
    <div className="jp-OptunaDashboard-studyList">
      <div className="jp-OptunaDashboard-toolbar">
        {props.onChangeStorage && (
          <button className="jp-OptunaDashboard-linkButton" onClick={props.onChangeStorage}>
            ← Storages
          </button>
        )}
        <span className="jp-OptunaDashboard-storageLabel" title={props.storage.url}>
          {props.storage.label || props.storage.url}
        </span>
        <input
          className="jp-mod-styled"
          type="search"
          placeholder="Search studies"
          aria-label="Search studies"
          value={query}
          onChange={e => setQuery(e.target.value)}
        />
        <Select
          aria-label="Sort studies"
          value={sort}
          onChange={e => setSort(e.target.value as SortKey)}
        >
          <option value="newest">Newest first</option>
          <option value="name">Name</option>
          <option value="trials">Most trials</option>
        </Select>
        <button className="jp-mod-styled" onClick={() => void reload()}>
          Reload
        </button>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <form
        className="jp-OptunaDashboard-createStudy"
        onSubmit={e => {
          e.preventDefault();
          const name = newName.trim();
          if (!name) {
            setError('A new study needs a name.');
            return;
          }
          void act(async () => {
            await client.createStudy(sid, name, newDirections);
            setNewName('');
            setNewDirections(['minimize']);
          });
        }}
      >
        <input
          className="jp-mod-styled"
          placeholder="New study name"
          aria-label="New study name"
          value={newName}
          onChange={e => setNewName(e.target.value)}
        />
        {newDirections.map((direction, i) => (
          <Select
            key={i}
            className="jp-mod-styled"
            aria-label={newDirections.length > 1 ? `Direction of objective ${i + 1}` : 'Direction'}
            value={direction}
            onChange={e =>
              setNewDirections(ds =>
                ds.map((d, j) => (j === i ? (e.target.value as Direction) : d))
              )
            }
          >
            <option value="minimize">minimize</option>
            <option value="maximize">maximize</option>
          </Select>
        ))}
        <button
          className="jp-mod-styled"
          type="button"
          title="Add an objective (a multi-objective study)"
          onClick={() => setNewDirections(ds => [...ds, 'minimize'])}
        >
          + objective
        </button>
        {newDirections.length > 1 && (
          <button
            className="jp-mod-styled"
            type="button"
            title="Remove the last objective"
            onClick={() => setNewDirections(ds => ds.slice(0, -1))}
          >
            − objective
          </button>
        )}
        <button className="jp-mod-styled" type="submit">
          Create
        </button>
      </form>
      {studies === null ? (
        <div className="jp-OptunaDashboard-loading">Loading studies…</div>
      ) : shown.length === 0 ? (
        <div className="jp-OptunaDashboard-empty">
          {studies.length === 0 ? 'This storage has no study yet.' : 'No study matches.'}
        </div>
      ) : (
        <>
          {props.onCompare && (
            <CompareBar
              chosen={chosen}
              onCompare={() => props.onCompare?.(chosen)}
              onClear={() => setCompareIds([])}
            />
          )}
          <ul className="jp-OptunaDashboard-cards">
            {shown.map(s => (
              <StudyCard
                key={s.study_id}
                study={s}
                onOpen={() => props.onOpenStudy(s)}
                onRename={name => act(() => client.renameStudy(sid, s.study_id, name))}
                onDelete={() => act(() => client.deleteStudy(sid, s.study_id, false))}
                compare={
                  props.onCompare && (
                    <CompareCheck
                      study={s}
                      checked={compareIds.includes(s.study_id)}
                      blocked={cannotCompare(s, chosen)}
                      choosing={chosen.length > 0}
                      onToggle={() =>
                        setCompareIds(ids =>
                          ids.includes(s.study_id)
                            ? ids.filter(id => id !== s.study_id)
                            : [...ids, s.study_id]
                        )
                      }
                    />
                  )
                }
              />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function StudyCard(props: {
  study: StudySummary;
  onOpen: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
  /** Its tick box for a comparison, if any. */
  compare?: React.ReactNode;
}): JSX.Element {
  const s = props.study;
  const best =
    s.best_values && s.best_values.length > 0 ? s.best_values.map(formatNumber).join(', ') : '—';
  return (
    <li className="jp-OptunaDashboard-card" data-study-name={s.study_name}>
      <button className="jp-OptunaDashboard-cardMain" onClick={props.onOpen}>
        <span className="jp-OptunaDashboard-cardTitle">
          {s.study_name}
          {s.is_preferential && <span className="jp-OptunaDashboard-badge">preferential</span>}
        </span>
        <span className="jp-OptunaDashboard-cardMeta">
          {s.is_preferential
            ? `${s.n_trials} trials`
            : `${s.directions.join(', ')} · ${s.n_trials} trials · best ${best}`}
        </span>
      </button>
      {props.compare}
      <span className="jp-OptunaDashboard-cardActions">
        <button
          className="jp-OptunaDashboard-linkButton"
          onClick={() => {
            const name = window.prompt(`Rename "${s.study_name}" to:`, s.study_name);
            if (name && name.trim() && name.trim() !== s.study_name) {
              props.onRename(name.trim());
            }
          }}
        >
          Rename
        </button>
        <ConfirmButton
          className="jp-OptunaDashboard-linkButton"
          label="Delete"
          question={`Delete it and its ${s.n_trials} trials?`}
          onConfirm={props.onDelete}
        />
      </span>
    </li>
  );
}
