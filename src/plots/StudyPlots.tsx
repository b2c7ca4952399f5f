import React from 'react';

import { errorMessage, useClient } from '../components/context';
import { ErrorBanner } from '../components/ErrorBanner';
import { objectiveName as metricName } from '../components/format';
import { Select } from '../components/Select';
import { ParamImportance, StorageInfo, StudyDetail } from '../types';
import { edfFigure, intermediateFigure, sliceFigure, timelineFigure } from './figures';
import { HistoryPlot } from './HistoryPlot';
import { HypervolumePlot } from './HypervolumePlot';
import { ParetoPlot } from './ParetoPlot';
import { contourFigure, rankFigure } from './pairs';
import { parallelDimensions, parallelFigure } from './parallel';
import { FigureCard, PlotCard, PlotSourceContext } from './PlotCard';
import { PlotObjective, PlotSource, plotObjective } from './plotCode';
import { PlotlyChart } from './PlotlyChart';
import { TerminatorPlot } from './TerminatorPlot';
import { useParallelBrushes } from '../components/selection/useParallelBrushes';
import { useScatterSelection } from '../components/selection/useScatterSelection';
import { withBrushes } from '../selection';

/**
 * The study's plots (history, importances, parallel coordinates, …, hypervolume or
 * terminator improvement, saved figures), each able to leave the dashboard by its menu.
 */
export function StudyPlots(props: { storage: StorageInfo; study: StudyDetail }): JSX.Element {
  const { study, storage } = props;
  const source = React.useMemo<PlotSource>(
    () => ({ storage, studies: [study.study_name] }),
    [storage, study.study_name]
  );
  return (
    <PlotSourceContext.Provider value={source}>
      <Plots storageId={storage.storage_id} study={study} />
    </PlotSourceContext.Provider>
  );
}

function Plots(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const { study } = props;
  const [objective, setObjective] = React.useState(0);
  const name = (i: number) => metricName(study.metric_names, i, study.directions.length);
  const names = study.directions.map((_, i) => name(i));
  const objectiveName = name(objective);
  const target = plotObjective(objective, names, study.metric_names);
  const edf = React.useMemo(
    () => edfFigure(study.trials, objective, objectiveName),
    [study.trials, objective, objectiveName]
  );
  const hasIntermediate = study.trials.intermediate_values.some(v => v !== null);
  const intermediate = React.useMemo(() => intermediateFigure(study.trials), [study.trials]);
  const timeline = React.useMemo(() => timelineFigure(study.trials, Date.now()), [study.trials]);
  const saved = study.plotly_graph_objects.map(g => (
    <SavedFigure key={g.id} id={g.id} json={g.graph_object} />
  ));
  if (study.preference) {
    // Its trials' values are placeholders that reporting a preference stores.
    return (
      <div className="jp-OptunaDashboard-plots">
        <p className="jp-OptunaDashboard-cardMeta">
          A preferential study has no objective values: the Analytics tab plots the utility
          the preference model learns from the comparisons, with its uncertainty.
        </p>
        <FigureCard id="timeline" figure={timeline} code={{ fn: 'plot_timeline' }} />
        {saved}
      </div>
    );
  }
  return (
    <div className="jp-OptunaDashboard-plots">
      {study.directions.length > 1 && (
        <label className="jp-OptunaDashboard-plotObjective">
          Objective of the plots below{' '}
          <Select
            value={objective}
            onChange={e => setObjective(Number(e.target.value))}
          >
            {study.directions.map((_, i) => (
              <option key={i} value={i}>
                {name(i)}
              </option>
            ))}
          </Select>
        </label>
      )}
      <HistoryPlot study={study} objective={objective} target={target} />
      <Importances
        storageId={props.storageId}
        study={study}
        objective={objective}
        objectiveName={objectiveName}
        target={target}
      />
      <ParallelCoordinate study={study} objective={objective} target={target} />
      <SlicePlot study={study} objective={objective} target={target} />
      <PairPlots study={study} objective={objective} target={target} />
      {study.directions.length > 1 && <ParetoPlot study={study} names={names} />}
      {study.directions.length > 1 && <HypervolumePlot study={study} names={names} />}
      <FigureCard id="edf" figure={edf} code={{ fn: 'plot_edf', objective: target }} />
      {hasIntermediate && (
        <FigureCard
          id="intermediate"
          figure={intermediate}
          code={{ fn: 'plot_intermediate_values' }}
        />
      )}
      <FigureCard id="timeline" figure={timeline} code={{ fn: 'plot_timeline' }} />
      {study.directions.length === 1 && (
        <TerminatorPlot storageId={props.storageId} study={study} />
      )}
      {saved}
    </div>
  );
}

function Importances(props: {
  storageId: string;
  study: StudyDetail;
  objective: number;
  objectiveName: string;
  target: PlotObjective;
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
    <PlotCard
      id="importances"
      code={{
        fn: 'plot_param_importances',
        // optuna's evaluators take a target as minimized; the panel's follow the direction.
        objective: {
          ...props.target,
          negate: props.study.directions[props.objective] === 'maximize'
        },
        args: [['evaluator', { py: 'PedAnovaImportanceEvaluator()' }]],
        imports: ['from optuna.importance import PedAnovaImportanceEvaluator']
      }}
    >
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
            title: {
              text:
                props.study.directions.length > 1
                  ? `Parameter importances for ${props.objectiveName}`
                  : 'Parameter importances'
            },
            xaxis: { title: { text: 'Importance (PedANOVA)' } },
            margin: { l: 120, r: 20, t: 36, b: 50 }
          }}
        />
      )}
    </PlotCard>
  );
}

function ParallelCoordinate(props: {
  study: StudyDetail;
  objective: number;
  target: PlotObjective;
}): JSX.Element {
  const { study, objective } = props;
  const objectiveName = props.target.name;
  const dims = React.useMemo(
    () => parallelDimensions(study.trials, study.distributions, objective, objectiveName),
    [study.trials, study.distributions, objective, objectiveName]
  );
  const brushes = useParallelBrushes(study.distributions, objective);
  const data = React.useMemo(
    () =>
      parallelFigure(withBrushes(dims, brushes.constraints), study.directions[objective] === 'maximize'),
    [dims, brushes.constraints, study.directions, objective]
  );
  const layout = React.useMemo(
    () => ({ title: { text: parallelTitle(dims) }, margin: { l: 60, r: 60, t: 100, b: 30 } }),
    [dims]
  );
  const empty = dims[dims.length - 1].values.length === 0;
  const code = {
    fn: 'plot_parallel_coordinate',
    objective: props.target,
    args: [['params', Object.keys(study.distributions)]] as [string, string[]][]
  };
  return (
    <PlotCard id="parallel-coordinate" code={code}>
      {empty ? (
        <div className="jp-OptunaDashboard-empty">
          The parallel coordinate plot appears once a trial is complete.
        </div>
      ) : (
        <PlotlyChart data={data} height={420} layout={layout} events={brushes.events} />
      )}
    </PlotCard>
  );
}

function parallelTitle(dims: ReturnType<typeof parallelDimensions>): string {
  const shown = dims[dims.length - 1].values.length;
  const total = dims.total ?? shown;
  return shown < total
    ? `Parallel coordinate (latest ${shown.toLocaleString()} of ${total.toLocaleString()} trials)`
    : 'Parallel coordinate';
}

function SlicePlot(props: {
  study: StudyDetail;
  objective: number;
  target: PlotObjective;
}): JSX.Element {
  const names = Object.keys(props.study.distributions);
  const [param, setParam] = React.useState(names[0] ?? '');
  const current = names.includes(param) ? param : (names[0] ?? '');
  const figure = React.useMemo(
    () =>
      sliceFigure(
        props.study.trials,
        current,
        props.study.distributions[current],
        props.objective,
        props.target.name
      ),
    [props.study.trials, props.study.distributions, current, props.objective, props.target.name]
  );
  const chart = useScatterSelection('slice', figure);
  if (!current) {
    return <></>;
  }
  return (
    <div>
      <label className="jp-OptunaDashboard-plotOptions">
        Slice of the parameter
        <Select
          aria-label="Slice parameter"
          value={current}
          onChange={e => setParam(e.target.value)}
        >
          {names.map(n => (
            <option key={n}>{n}</option>
          ))}
        </Select>
      </label>
      <FigureCard
        id="slice"
        figure={chart}
        events={chart.events}
        code={{ fn: 'plot_slice', objective: props.target, args: [['params', [current]]] }}
      />
    </div>
  );
}

/** Contour and rank plots of a chosen pair of parameters. */
function PairPlots(props: {
  study: StudyDetail;
  objective: number;
  target: PlotObjective;
}): JSX.Element {
  const { study, objective } = props;
  const objectiveName = props.target.name;
  const names = Object.keys(study.distributions);
  const [chosen, setChosen] = React.useState<[string, string]>([names[0], names[1]]);
  const pair: [string, string] = [
    names.includes(chosen[0]) ? chosen[0] : names[0],
    names.includes(chosen[1]) ? chosen[1] : names[1]
  ];
  const direction = study.directions[objective];
  const figures = React.useMemo(() => {
    if (names.length < 2) {
      return null;
    }
    const args = [study.trials, study.distributions, pair, objective, objectiveName, direction] as const;
    return { contour: contourFigure(...args), rank: rankFigure(...args) };
  }, [study.trials, study.distributions, pair[0], pair[1], objective, objectiveName, direction]);
  if (figures === null) {
    return <></>;
  }
  const select = (k: 0 | 1) => (
    <Select
      aria-label={k === 0 ? 'Pair x parameter' : 'Pair y parameter'}
      value={pair[k]}
      onChange={e => {
        const next: [string, string] = [...pair];
        next[k] = e.target.value;
        setChosen(next);
      }}
    >
      {names.map(n => (
        <option key={n}>{n}</option>
      ))}
    </Select>
  );
  return (
    <div>
      <div className="jp-OptunaDashboard-plotOptions">
        Contour and rank of {select(0)} × {select(1)}
      </div>
      <FigureCard
        id="contour"
        figure={figures.contour}
        code={{ fn: 'plot_contour', objective: props.target, args: [['params', pair]] }}
      />
      <FigureCard
        id="rank"
        figure={figures.rank}
        code={{ fn: 'plot_rank', objective: props.target, args: [['params', pair]] }}
      />
    </div>
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
  const code = {
    none:
      'This figure was saved in the study with save_plotly_graph_object(): ' +
      'optuna.visualization has no function that draws it.'
  };
  return (
    <PlotCard id={`saved-${props.id}`} code={code}>
      {figure ? (
        <PlotlyChart data={figure.data ?? []} layout={{ ...figure.layout }} />
      ) : (
        <div className="jp-OptunaDashboard-error">The saved figure "{props.id}" is not valid.</div>
      )}
    </PlotCard>
  );
}
