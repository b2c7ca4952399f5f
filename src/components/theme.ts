import React from 'react';

/**
 * A key that changes when JupyterLab switches theme (light/dark), read from the body's
 * data-jp-theme-* attributes; constant outside JupyterLab.
 */
export function useThemeKey(): string {
  const read = () =>
    `${document.body.dataset.jpThemeName ?? ''}:${document.body.dataset.jpThemeLight ?? ''}`;
  const [key, setKey] = React.useState(read);
  React.useEffect(() => {
    const observer = new MutationObserver(() => setKey(read()));
    observer.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
    return () => observer.disconnect();
  }, []);
  return key;
}
