import React from 'react';

import { Select } from '../components/Select';
import { StudyDetail } from '../types';
import { paretoFigure } from './figures';
import { FigureCard } from './PlotCard';
import { OptunaPlot } from './plotCode';

/** The Pareto front of two objectives the person picks (the first two at first). */
export function ParetoPlot(props: { study: StudyDetail; names: string[] }): JSX.Element {
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
      <FigureCard id="pareto-front" figure={figure} code={paretoCode(axes, props.names)} />
    </div>
  );
}

/** optuna's Pareto front of the two objectives on the axes (its default: the first two). */
function paretoCode(axes: [number, number], names: string[]): OptunaPlot {
  const targetNames: [string, string[]] = ['target_names', [names[axes[0]], names[axes[1]]]];
  return names.length === 2 && axes[0] === 0 && axes[1] === 1
    ? { fn: 'plot_pareto_front', args: [targetNames] }
    : {
        fn: 'plot_pareto_front',
        args: [['targets', { py: `lambda t: (t.values[${axes[0]}], t.values[${axes[1]}])` }], targetNames]
      };
}
