import React from 'react';

import { compareEdfFigure, compareHistoryFigure, ComparedStudy, STUDY_COLORS } from '../plots/compare';
import { FigureCard, PlotSourceContext } from '../plots/PlotCard';
import { plotObjective } from '../plots/plotCode';
import { StorageInfo, StudySummary } from '../types';
import { errorMessage, useClient } from './context';
import { ErrorBanner } from './ErrorBanner';
import { objectiveNames } from './format';
import { Select } from './Select';

/**
 * Studies of one storage with the same directions, compared: their best-so-far histories
 * and the empirical distributions of their values overlaid, one colour per study.
 */
export function CompareStudies(props: {
  storage: StorageInfo;
  studies: StudySummary[];
  onBack: () => void;
}): JSX.Element {
  const client = useClient();
  const sid = props.storage.storage_id;
  const [compared, setCompared] = React.useState<ComparedStudy[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [objective, setObjective] = React.useState(0);
  const first = props.studies[0];
  const names = objectiveNames(first.metric_names, first.directions.length);

  const { studies } = props;
  const load = React.useCallback(async () => {
    const details = await Promise.allSettled(
      studies.map(s => client.getStudyDetail(sid, s.study_id))
    );
    const failed = details.flatMap((d, k) =>
      d.status === 'rejected' ? [`${studies[k].study_name}: ${errorMessage(d.reason)}`] : []
    );
    setError(failed.length > 0 ? `Not loaded: ${failed.join('; ')}` : null);
    setCompared(
      details.flatMap(d =>
        d.status === 'fulfilled' ? [{ name: d.value.study_name, trials: d.value.trials }] : []
      )
    );
  }, [client, sid, studies]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const source = React.useMemo(
    () => ({ storage: props.storage, studies: studies.map(s => s.study_name) }),
    [props.storage, studies]
  );
  const target = plotObjective(objective, names, first.metric_names);
  const figures = React.useMemo(() => {
    if (compared === null) {
      return null;
    }
    const name = objectiveNames(first.metric_names, first.directions.length)[objective];
    return {
      history: compareHistoryFigure(compared, first.directions[objective], objective, name),
      edf: compareEdfFigure(compared, objective, name)
    };
  }, [compared, first, objective]);

  return (
    <div className="jp-OptunaDashboard-compareStudies">
      <div className="jp-OptunaDashboard-toolbar">
        <button className="jp-OptunaDashboard-linkButton" onClick={props.onBack}>
          ← Studies
        </button>
        <span className="jp-OptunaDashboard-studyTitle">
          Comparing {props.studies.length} studies
        </span>
        <span className="jp-OptunaDashboard-cardMeta">{first.directions.join(', ')}</span>
        <button className="jp-mod-styled" onClick={() => void load()}>
          Reload
        </button>
      </div>
      <ul className="jp-OptunaDashboard-compareLegend" aria-label="Compared studies">
        {props.studies.map((s, k) => (
          <li key={s.study_id}>
            <span
              className="jp-OptunaDashboard-compareSwatch"
              style={{ background: STUDY_COLORS[k % STUDY_COLORS.length] }}
            />
            {s.study_name}
          </li>
        ))}
      </ul>
      {first.directions.length > 1 && (
        <label className="jp-OptunaDashboard-plotObjective">
          Objective of the plots below{' '}
          <Select value={objective} onChange={e => setObjective(Number(e.target.value))}>
            {names.map((n, i) => (
              <option key={i} value={i}>
                {n}
              </option>
            ))}
          </Select>
        </label>
      )}
      <ErrorBanner message={error} />
      {figures === null ? (
        <div className="jp-OptunaDashboard-loading">Loading the studies' trials…</div>
      ) : (
        <PlotSourceContext.Provider value={source}>
          <div className="jp-OptunaDashboard-plots">
            <FigureCard
              id="compare-history"
              figure={figures.history}
              code={{ fn: 'plot_optimization_history', objective: target }}
            />
            <FigureCard
              id="compare-edf"
              figure={figures.edf}
              code={{ fn: 'plot_edf', objective: target }}
            />
          </div>
        </PlotSourceContext.Provider>
      )}
    </div>
  );
}
