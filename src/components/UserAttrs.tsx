import React from 'react';

import { JSONValue } from '../types';

/** A study's user attrs as a definition list (strings as they are, the rest as JSON). */
export function UserAttrs(props: { attrs: Record<string, JSONValue> }): JSX.Element {
  const entries = Object.entries(props.attrs);
  if (entries.length === 0) {
    return (
      <div className="jp-OptunaDashboard-empty">
        None. Set them with study.set_user_attr(key, value).
      </div>
    );
  }
  return (
    <dl className="jp-OptunaDashboard-facts" data-facts="user-attrs">
      {entries.map(([k, v]) => (
        <React.Fragment key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}
