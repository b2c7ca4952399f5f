import React from 'react';

import { selectedNumbers, TrialSelection } from '../../selection';
import { StudyDetail } from '../../types';

/** The trials selected on a study's page, shared by its plots, trial list and bar. */
export interface SelectionState {
  /** As it was made (brushes, or points of a plot); null when nothing is selected. */
  selection: TrialSelection | null;
  /** The selected trials' numbers, ascending; null when nothing is selected. */
  numbers: number[] | null;
  /** The same as a set, for look-ups. */
  selected: ReadonlySet<number> | null;
  select: (selection: TrialSelection | null) => void;
}

const NOTHING: SelectionState = {
  selection: null,
  numbers: null,
  selected: null,
  select: () => undefined
};

const SelectionContext = React.createContext<SelectionState>(NOTHING);

/** The selection of the study page around (nothing selected outside one). */
export function useTrialSelection(): SelectionState {
  return React.useContext(SelectionContext);
}

/**
 * Holds one study's selection for as long as its page is open, whichever tab shows.
 * Brushed ranges select again as trials arrive; picked points stay those trials.
 */
export function TrialSelectionProvider(props: {
  study: StudyDetail;
  children: React.ReactNode;
}): JSX.Element {
  const { trials, distributions } = props.study;
  const [selection, select] = React.useState<TrialSelection | null>(null);
  const numbers = React.useMemo(
    () => (selection ? selectedNumbers(trials, distributions, selection) : null),
    [selection, trials, distributions]
  );
  const value = React.useMemo(
    () => ({ selection, numbers, selected: numbers && new Set(numbers), select }),
    [selection, numbers]
  );
  return <SelectionContext.Provider value={value}>{props.children}</SelectionContext.Provider>;
}
