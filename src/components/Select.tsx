import React from 'react';

/** What every drop-down of the dashboard takes: a select's own attributes and options. */
export type SelectProps = React.SelectHTMLAttributes<HTMLSelectElement>;

/**
 * A drop-down with the DOM of `@jupyterlab/ui-components`' HTMLSelect (a `jp-HTMLSelect`
 * wrapper holding the select and a caret), drawn by base.css from `--jp-*` variables:
 * the same in a notebook widget outside JupyterLab (VS Code, Colab) or the standalone
 * page, where Lab's stylesheets are absent, as in the panel.
 */
function StyledSelect({ className, children, ...props }: SelectProps): JSX.Element {
  return (
    <div className={`jp-HTMLSelect jp-DefaultStyle ${className ?? ''}`}>
      <select {...props}>{children}</select>
      <svg className="jp-OptunaDashboard-selectCaret" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M4 6h8l-4 5z" fill="currentColor" />
      </svg>
    </div>
  );
}

/**
 * The drop-down component: the Lab panel provides HTMLSelect itself; the widgets and the
 * standalone page, which do not bundle JupyterLab, the look-alike above.
 */
export const SelectContext = React.createContext<React.ComponentType<SelectProps>>(StyledSelect);

/** A drop-down in JupyterLab's style, in every tab and every host. */
export function Select(props: SelectProps): JSX.Element {
  const Component = React.useContext(SelectContext);
  return <Component {...props} className={`jp-OptunaDashboard-select ${props.className ?? ''}`} />;
}
