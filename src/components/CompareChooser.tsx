import React from 'react';

import { StudySummary } from '../types';

/**
 * Above the study cards: how many studies are chosen for comparison, and the button that
 * compares them (two at least).
 */
export function CompareBar(props: {
  chosen: StudySummary[];
  onCompare: () => void;
  onClear: () => void;
}): JSX.Element {
  const n = props.chosen.length;
  return (
    <div className="jp-OptunaDashboard-compareBar">
      <span className="jp-OptunaDashboard-cardMeta">
        {n === 0
          ? 'Tick studies with the same directions to compare their histories and distributions.'
          : `${n} chosen (${props.chosen[0].directions.join(', ')})${n === 1 ? ': tick another' : ''}`}
      </span>
      <button className="jp-mod-styled" disabled={n < 2} onClick={props.onCompare}>
        Compare{n >= 2 ? ` ${n} studies` : ''}
      </button>
      {n > 0 && (
        <button className="jp-OptunaDashboard-linkButton" onClick={props.onClear}>
          Clear
        </button>
      )}
    </div>
  );
}

/**
 * A study card's "Compare" tick box; when the study cannot join those chosen, it is
 * disabled and the card says why.
 */
export function CompareCheck(props: {
  study: StudySummary;
  checked: boolean;
  /** Why it cannot be chosen with the studies chosen, or null. */
  blocked: string | null;
  /** Whether any study is chosen (the reason shows only then). */
  choosing: boolean;
  onToggle: () => void;
}): JSX.Element {
  const disabled = props.blocked !== null && !props.checked;
  return (
    <div className="jp-OptunaDashboard-compareCheck">
      <label title={props.blocked ?? 'Choose this study for a comparison'}>
        <input
          type="checkbox"
          checked={props.checked}
          disabled={disabled}
          aria-label={`Compare ${props.study.study_name}`}
          onChange={props.onToggle}
        />{' '}
        Compare
      </label>
      {disabled && props.choosing && (
        <span className="jp-OptunaDashboard-cardMeta" data-compare-blocked="">
          {props.blocked}
        </span>
      )}
    </div>
  );
}
