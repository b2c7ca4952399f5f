import React from 'react';
import type { Data, Layout } from 'plotly.js';

import { PlotlyEvents } from '../../plots/PlotlyChart';
import { highlightSelected, pointNumbers } from '../../selection';
import { useTrialSelection } from './SelectionContext';

type DragMode = Layout['dragmode'];

/** The boxes and lassos drawn on a plot, as plotly keeps them in `layout.selections`. */
type Boxes = unknown[];
const NO_BOXES: Boxes = [];

const sameNumbers = (a: number[], b: number[]) =>
  a.length === b.length && a.every((n, k) => n === b[k]);

/**
 * Selection on a scatter plot whose marker traces carry trial numbers as `customdata`:
 * a box or lasso (from the plot's mode bar) selects those trials, a double click clears
 * what this plot selected, and the selected trials stand out while the rest are dimmed.
 *
 * The plot is drawn again from React's state, so what the person did on it is kept
 * there: the drag mode, and the boxes drawn (plotly selects again from the boxes of a
 * redrawn plot, and reports it; a report that changes nothing is ignored).
 */
export function useScatterSelection(
  source: string,
  figure: { data: Data[]; layout: Partial<Layout> }
): { data: Data[]; layout: Partial<Layout>; events: PlotlyEvents } {
  const { selection, selected, select } = useTrialSelection();
  const [dragmode, setDragmode] = React.useState<DragMode>('zoom');
  const [boxes, setBoxes] = React.useState<Boxes>(NO_BOXES);
  const ours = selection?.kind === 'points' && selection.source === source ? selection : null;
  // Boxes belong to this plot's selection: gone with it, or when another plot selects.
  const shownBoxes = ours ? boxes : NO_BOXES;
  const data = React.useMemo(() => highlightSelected(figure.data, selected), [figure.data, selected]);
  const layout = React.useMemo(
    () => ({ ...figure.layout, dragmode, selections: shownBoxes }) as Partial<Layout>,
    [figure.layout, dragmode, shownBoxes]
  );
  const events: PlotlyEvents = {
    plotly_selected: event => {
      const numbers = pointNumbers(event);
      // An empty report while this plot selects nothing is the plot drawn without boxes.
      if (numbers === null || (numbers.length === 0 && !ours)) {
        return;
      }
      if (!ours || !sameNumbers(ours.numbers, numbers)) {
        select({ kind: 'points', source, numbers });
      }
    },
    plotly_deselect: () => {
      setBoxes(NO_BOXES);
      if (ours) {
        select(null);
      }
    },
    plotly_relayout: (event, element) => {
      const changes = (event ?? {}) as Record<string, unknown>;
      const mode = changes.dragmode as DragMode | undefined;
      if (mode) {
        setDragmode(mode);
      }
      if (Object.keys(changes).some(k => k.startsWith('selections'))) {
        const drawn = (element as HTMLElement & { layout?: { selections?: Boxes } }).layout;
        setBoxes(drawn?.selections ? [...drawn.selections] : NO_BOXES);
      }
    }
  };
  return { data, layout, events };
}
