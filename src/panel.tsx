import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { DashboardClient } from './client';
import { App } from './components/App';
import { RecentStorage, StorageInfo } from './types';

export interface DashboardPanelOptions {
  client: DashboardClient;
  recentStorages: RecentStorage[];
  refreshIntervalMs: number;
  initialStorage?: string;
  onStorageOpened?: (storage: StorageInfo) => void;
  findStorageFiles?: () => Promise<string[]>;
}

/** The main-area widget holding one dashboard (one storage at a time). */
export class DashboardPanel extends ReactWidget {
  constructor(private readonly options: DashboardPanelOptions) {
    super();
    this.addClass('jp-OptunaDashboard-panel');
    this.title.label = 'Optuna Dashboard';
    this.title.closable = true;
  }

  private readonly setTitle = (title: string): void => {
    this.title.label = title ? `Optuna: ${title}` : 'Optuna Dashboard';
  };

  render(): JSX.Element {
    return (
      <App
        client={this.options.client}
        recentStorages={this.options.recentStorages}
        initialStorage={this.options.initialStorage}
        refreshIntervalMs={this.options.refreshIntervalMs}
        onStorageOpened={this.options.onStorageOpened}
        findStorageFiles={this.options.findStorageFiles}
        onTitleChange={this.setTitle}
      />
    );
  }
}
