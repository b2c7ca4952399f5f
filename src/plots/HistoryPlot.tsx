import React from 'react';

import { Select } from '../components/Select';
import { useScatterSelection } from '../components/selection/useScatterSelection';
import { StudyDetail } from '../types';
import { DEFAULT_HISTORY_OPTIONS, HistoryOptions, HistoryXAxis, historyFigure } from './history';
import { PlotCard } from './PlotCard';
import { PlotObjective } from './plotCode';
import { PlotlyChart } from './PlotlyChart';

/**
 * The optimization history of ``objective`` (chosen above all the plots) with its own
 * options: x axis, log scale, pruned trials, best value.
 */
export function HistoryPlot(props: {
  study: StudyDetail;
  objective: number;
  /** The objective as optuna's plot_optimization_history takes it. */
  target: PlotObjective;
}): JSX.Element {
  const { study } = props;
  const [options, setOptions] = React.useState(DEFAULT_HISTORY_OPTIONS);
  const set = <K extends keyof typeof options>(key: K, value: HistoryOptions[K]) =>
    setOptions(o => ({ ...o, [key]: value }));
  const figure = React.useMemo(
    () =>
      historyFigure(study.trials, study.directions, study.metric_names, {
        ...options,
        objective: props.objective
      }),
    [study.trials, study.directions, study.metric_names, options, props.objective]
  );
  const chart = useScatterSelection('history', figure);
  return (
    <PlotCard
      id="history"
      code={{ fn: 'plot_optimization_history', objective: props.target }}
    >
      <div className="jp-OptunaDashboard-plotOptions">
        <Select
          aria-label="X axis"
          value={options.xAxis}
          onChange={e => set('xAxis', e.target.value as HistoryXAxis)}
        >
          <option value="number">Trial number</option>
          <option value="datetime_start">Start time</option>
          <option value="datetime_complete">Complete time</option>
        </Select>
        <Checkbox label="Log scale" checked={options.logY} onChange={v => set('logY', v)} />
        <Checkbox
          label="Include pruned"
          checked={options.includePruned}
          onChange={v => set('includePruned', v)}
        />
        <Checkbox label="Best value" checked={options.showBest} onChange={v => set('showBest', v)} />
      </div>
      {figure.data.length === 0 || (figure.data[0] as { x: unknown[] }).x.length === 0 ? (
        <div className="jp-OptunaDashboard-empty">
          The history appears once a trial is complete.
        </div>
      ) : (
        <PlotlyChart data={chart.data} layout={chart.layout} events={chart.events} />
      )}
    </PlotCard>
  );
}

function Checkbox(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}): JSX.Element {
  return (
    <label>
      <input
        type="checkbox"
        checked={props.checked}
        onChange={e => props.onChange(e.target.checked)}
      />{' '}
      {props.label}
    </label>
  );
}
