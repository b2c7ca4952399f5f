import React from 'react';

import { errorMessage, useClient } from '../components/context';
import { ErrorBanner } from '../components/ErrorBanner';
import { objectiveName as metricName } from '../components/format';
import { Select } from '../components/Select';
import { ParamImportance, StudyDetail } from '../types';
import {
  Figure,
  edfFigure,
  intermediateFigure,
  paretoFigure,
  sliceFigure,
  timelineFigure
} from './figures';
import { HistoryPlot } from './HistoryPlot';
import { contourFigure, rankFigure } from './pairs';
import { parallelDimensions, parallelFigure } from './parallel';
import { PlotlyChart, PlotlyEvents } from './PlotlyChart';
import { useParallelBrushes } from '../components/selection/useParallelBrushes';
import { useScatterSelection } from '../components/selection/useScatterSelection';
import { withBrushes } from '../selection';

/** The study's plots: history, importances, parallel coordinates, and saved figures. */
export function StudyPlots(props: { storageId: string; study: StudyDetail }): JSX.Element {
  const { study } = props;
  const [objective, setObjective] = React.useState(0);
  const name = (i: number) => metricName(study.metric_names, i, study.directions.length);
  const objectiveName = name(objective);
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
        <FigureCard id="timeline" figure={timeline} />
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
      <HistoryPlot study={study} objective={objective} />
      <Importances
        storageId={props.storageId}
        study={study}
        objective={objective}
        objectiveName={objectiveName}
      />
      <ParallelCoordinate study={study} objective={objective} objectiveName={name(objective)} />
      <SlicePlot study={study} objective={objective} objectiveName={name(objective)} />
      <PairPlots study={study} objective={objective} objectiveName={name(objective)} />
      {study.directions.length > 1 && (
        <ParetoPlot study={study} names={study.directions.map((_, i) => name(i))} />
      )}
      <FigureCard id="edf" figure={edf} />
      {hasIntermediate && <FigureCard id="intermediate" figure={intermediate} />}
      <FigureCard id="timeline" figure={timeline} />
      {saved}
    </div>
  );
}

function Importances(props: {
  storageId: string;
  study: StudyDetail;
  objective: number;
  objectiveName: string;
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
  return (
    <section className="jp-OptunaDashboard-plotCard" data-plot="parallel-coordinate">
      {empty ? (
        <div className="jp-OptunaDashboard-empty">
          The parallel coordinate plot appears once a trial is complete.
        </div>
      ) : (
        <PlotlyChart data={data} height={420} layout={layout} events={brushes.events} />
      )}
    </section>
  );
}

function parallelTitle(dims: ReturnType<typeof parallelDimensions>): string {
  const shown = dims[dims.length - 1].values.length;
  const total = dims.total ?? shown;
  return shown < total
    ? `Parallel coordinate (latest ${shown.toLocaleString()} of ${total.toLocaleString()} trials)`
    : 'Parallel coordinate';
}

export function FigureCard(props: { id: string; figure: Figure; events?: PlotlyEvents }): JSX.Element {
  const empty = props.figure.data.every(d => ((d as { x?: unknown[] }).x ?? []).length === 0);
  return (
    <section className="jp-OptunaDashboard-plotCard" data-plot={props.id}>
      {empty ? (
        <div className="jp-OptunaDashboard-empty">
          {(props.figure.layout.title as { text?: string } | undefined)?.text ?? 'This plot'} appears
          once trials are complete.
        </div>
      ) : (
        <PlotlyChart data={props.figure.data} layout={props.figure.layout} events={props.events} />
      )}
    </section>
  );
}

function SlicePlot(props: {
  study: StudyDetail;
  objective: number;
  objectiveName: string;
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
        props.objectiveName
      ),
    [props.study.trials, props.study.distributions, current, props.objective, props.objectiveName]
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
      <FigureCard id="slice" figure={chart} events={chart.events} />
    </div>
  );
}

/** Contour and rank plots of a chosen pair of parameters. */
function PairPlots(props: {
  study: StudyDetail;
  objective: number;
  objectiveName: string;
}): JSX.Element {
  const { study, objective, objectiveName } = props;
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
      <FigureCard id="contour" figure={figures.contour} />
      <FigureCard id="rank" figure={figures.rank} />
    </div>
  );
}

function ParetoPlot(props: { study: StudyDetail; names: string[] }): JSX.Element {
  const [axes, setAxes] = React.useState<[number, number]>([0, 1]);
  const { study } = props;
  const figure = React.useMemo(
    () =>
      paretoFigure(
        study.trials,
        axes,
        [study.directions[axes[0]], study.directions[axes[1]]],
        [props.names[axes[0]], props.names[axes[1]]]
      ),
    [study.trials, study.directions, axes, props.names]
  );
  const select = (k: 0 | 1) => (
    <Select
      aria-label={k === 0 ? 'Pareto x axis' : 'Pareto y axis'}
      value={axes[k]}
      onChange={e => {
        const next: [number, number] = [...axes];
        next[k] = Number(e.target.value);
        setAxes(next);
      }}
    >
      {props.names.map((n, i) => (
        <option key={i} value={i}>
          {n}
        </option>
      ))}
    </Select>
  );
  return (
    <div>
      {select(0)} {select(1)}
      <FigureCard id="pareto-front" figure={figure} />
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
