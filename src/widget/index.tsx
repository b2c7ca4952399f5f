/**
 * Entry of the notebook widgets (anywidget): the dashboard, RateTrials and CompareTrials,
 * over the widget comm. Bundled on its own into jupyterlab_optuna/static/widget.js.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';

import '../../style/base.css';

import { ClientContext } from '../components/context';
import { setPlotlyLoader } from '../plots/PlotlyChart';
import { StorageInfo } from '../types';
import { CommClient, CommModel } from './commClient';
import { RateTrials } from './RateTrials';
import { CellDashboard, CompareTrials } from './views';

interface WidgetModel extends CommModel {
  get(name: 'view'): 'dashboard' | 'rate' | 'compare';
  get(name: 'storage'): StorageInfo;
  get(name: 'study_id'): number | null;
  get(name: 'height'): number;
  get(name: 'refresh_interval_ms'): number;
  get(name: 'layout_mode'): 'single' | 'grid' | undefined;
  get(name: 'artifact_key'): string | null | undefined;
}

function view(model: WidgetModel): JSX.Element {
  const storage = model.get('storage');
  const studyId = model.get('study_id');
  const refreshIntervalMs = model.get('refresh_interval_ms');
  switch (model.get('view')) {
    case 'rate':
      return (
        <RateTrials
          storageId={storage.storage_id}
          studyId={studyId!}
          layout={model.get('layout_mode') ?? 'single'}
          artifactKey={model.get('artifact_key') ?? null}
          refreshIntervalMs={refreshIntervalMs}
        />
      );
    case 'compare':
      return (
        <CompareTrials
          storageId={storage.storage_id}
          studyId={studyId!}
          refreshIntervalMs={refreshIntervalMs}
        />
      );
    default:
      return (
        <CellDashboard storage={storage} studyId={studyId} refreshIntervalMs={refreshIntervalMs} />
      );
  }
}

function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  const client = new CommClient(model);
  setPlotlyLoader(() => client.loadPlotly());
  const container = document.createElement('div');
  container.className = 'jp-OptunaDashboard jp-OptunaDashboard-cell';
  if (model.get('view') === 'dashboard') {
    container.style.height = `${model.get('height')}px`;
  }
  el.appendChild(container);
  const root = createRoot(container);
  root.render(<ClientContext.Provider value={client}>{view(model)}</ClientContext.Provider>);
  return () => {
    root.unmount();
    client.dispose();
    container.remove();
  };
}

export default { render };
