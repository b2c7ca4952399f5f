import React from 'react';

import { errorMessage, useClient } from '../components/context';
import { ErrorBanner } from '../components/ErrorBanner';
import { ParamImportance, StudyDetail } from '../types';
import { HistoryPlot } from './HistoryPlot';
import { parallelDimensions, parallelFigure } from './parallel';
import { PlotlyChart } from './PlotlyChart';

/** The study's plots: history, importances, parallel coordinates, and saved figures. */
export function StudyPlots(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const { study } = props;
  const [objective, setObjective] = React.useState(0);
  const name = (i: number) => study.metric_names?.[i] ?? `Objective ${i}`;
  return (
    <div className="jp-OptunaDashboard-plots">
      {study.directions.length > 1 && (
        <select
          className="jp-mod-styled"
          aria-label="Objective of the plots"
          value={objective}
          onChange={e => setObjective(Number(e.target.value))}
        >
          {study.directions.map((_, i) => (
            <option key={i} value={i}>
              {name(i)}
            </option>
          ))}
        </select>
      )}
      <HistoryPlot study={study} />
      <Importances storageId={props.storageId} study={study} objective={objective} />
      <ParallelCoordinate study={study} objective={objective} objectiveName={name(objective)} />
      {study.plotly_graph_objects.map(g => (
        <SavedFigure key={g.id} id={g.id} json={g.graph_object} />
      ))}
    </div>
  );
}

function Importances(props: {
  storageId: string;
  study: StudyDetail;
  objective: number;
}): JSX.Element {
  const client = useClient();
  const [importances, setImportances] = React.useState<ParamImportance[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const nComplete = props.study.trials.state.filter(s => s === 'Complete').length;
  React.useEffect(() => {
    let cancelled = false;
    client
      .getParamImportances(props.storageId, props.study.study_id, props.objective)
      .then(
        r => !cancelled && (setImportances(r), setError(null)),
        e => !cancelled && setError(errorMessage(e))
      );
    return () => {
      cancelled = true;
    };
  }, [client, props.storageId, props.study.study_id, props.objective, nComplete]);
  const sorted = (importances ?? []).slice().reverse();
  return (
    <section className="jp-OptunaDashboard-plotCard" data-plot="importances">
      <ErrorBanner message={error} />
      {importances !== null && importances.length === 0 ? (
        <div className="jp-OptunaDashboard-empty">
          Parameter importances appear once a few trials are complete.
        </div>
      ) : (
        <PlotlyChart
          height={Math.max(200, 60 + 28 * sorted.length)}
          data={[
            {
              type: 'bar',
              orientation: 'h',
              x: sorted.map(i => i.importance),
              y: sorted.map(i => i.name),
              hovertemplate: '%{y}: %{x:.3f}<extra></extra>'
            }
          ]}
          layout={{
            title: { text: 'Parameter importances' },
            xaxis: { title: { text: 'Importance (PedANOVA)' } },
            margin: { l: 120, r: 20, t: 36, b: 50 }
          }}
        />
      )}
    </section>
  );
}

function ParallelCoordinate(props: {
  study: StudyDetail;
  objective: number;
  objectiveName: string;
}): JSX.Element {
  const { study, objective } = props;
  const dims = React.useMemo(
    () => parallelDimensions(study.trials, study.distributions, objective, props.objectiveName),
    [study.trials, study.distributions, objective, props.objectiveName]
  );
  const data = React.useMemo(
    () => parallelFigure(dims, study.directions[objective] === 'maximize'),
    [dims, study.directions, objective]
  );
  const empty = dims[dims.length - 1].values.length === 0;
  return (
    <section className="jp-OptunaDashboard-plotCard" data-plot="parallel-coordinate">
      {empty ? (
        <div className="jp-OptunaDashboard-empty">
          The parallel coordinate plot appears once a trial is complete.
        </div>
      ) : (
        <PlotlyChart
          data={data}
          height={420}
          layout={{ title: { text: 'Parallel coordinate' }, margin: { l: 60, r: 60, t: 100, b: 30 } }}
        />
      )}
    </section>
  );
}

/** A figure saved with save_plotly_graph_object(). */
function SavedFigure(props: { id: string; json: string }): JSX.Element {
  const figure = React.useMemo(() => {
    try {
      return JSON.parse(props.json) as { data: []; layout: object };
    } catch {
      return null;
    }
  }, [props.json]);
  return (
    <section className="jp-OptunaDashboard-plotCard" data-plot={`saved-${props.id}`}>
      {figure ? (
        <PlotlyChart data={figure.data ?? []} layout={{ ...figure.layout }} />
      ) : (
        <div className="jp-OptunaDashboard-error">The saved figure "{props.id}" is not valid.</div>
      )}
    </section>
  );
}
