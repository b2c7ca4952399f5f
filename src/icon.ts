import { LabIcon } from '@jupyterlab/ui-components';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16">
  <circle class="jp-icon-brand0" fill="#0a4f8f" cx="12" cy="12" r="11"/>
  <path fill="#ffffff" d="M12 4.5a7.5 7.5 0 1 0 7.5 7.5h-3a4.5 4.5 0 1 1-4.5-4.5z"/>
  <circle fill="#7fd3ff" cx="17.2" cy="6.8" r="2.3"/>
</svg>`;

/** The dashboard's icon (launcher tile, tab, menu). */
export const optunaIcon = new LabIcon({ name: 'jupyterlab-optuna:logo', svgstr: svg });
