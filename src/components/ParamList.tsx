import React from 'react';

import { JSONValue } from '../types';

/** A parameter's value, short: 4 significant digits, text as it is. */
export function formatParam(v: JSONValue): string {
  if (typeof v === 'number') {
    return String(Number(v.toPrecision(4)));
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A trial's parameters as a compact list, each name right beside its value. */
export function ParamList(props: { params: Record<string, JSONValue> }): JSX.Element | null {
  const entries = Object.entries(props.params);
  if (entries.length === 0) {
    return null;
  }
  return (
    <dl className="jp-OptunaDashboard-paramList" aria-label="Parameters">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd title={typeof value === 'number' ? String(value) : undefined}>
            {formatParam(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
