import React from 'react';

import { PlotlyEvents } from '../../plots/PlotlyChart';
import {
  AxisRanges,
  constraintRanges,
  constraintUpdates,
  hasRanges,
  NO_RANGES,
  Range,
  withConstraints
} from '../../selection';
import { DistributionJSON } from '../../types';
import { useTrialSelection } from './SelectionContext';

/**
 * Brushing on the parallel coordinate plot of `objective` (its axes: the parameters of
 * `distributions`, then the objective): a brush selects the trials inside every brushed
 * range. Returns each axis's brush to draw (again after the plot was away) and the
 * plot's event handlers.
 */
export function useParallelBrushes(
  distributions: Record<string, DistributionJSON>,
  objective: number
): { constraints: (Range | Range[] | undefined)[]; events: PlotlyEvents } {
  const { selection, select } = useTrialSelection();
  const ranges: AxisRanges = selection?.kind === 'ranges' ? selection.ranges : NO_RANGES;
  const paramNames = React.useMemo(() => Object.keys(distributions), [distributions]);
  const constraints = React.useMemo(
    () => constraintRanges(ranges, paramNames, objective),
    [ranges, paramNames, objective]
  );
  const events: PlotlyEvents = {
    plotly_restyle: event => {
      const updates = constraintUpdates(event);
      if (updates.size === 0) {
        return;
      }
      // Brushes of another objective's plot are not on this one: they stop applying.
      const base =
        selection?.kind === 'ranges' && selection.objective !== objective
          ? { params: ranges.params, values: {} }
          : ranges;
      const next = withConstraints(base, updates, paramNames, objective);
      select(hasRanges(next) ? { kind: 'ranges', objective, ranges: next } : null);
    }
  };
  return { constraints, events };
}
