import { HTMLSelect, ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { DashboardClient } from './client';
import { App } from './components/App';
import { SelectContext } from './components/Select';
import { EMPTY_PANEL_STATE, PanelState, samePanelState } from './panelState';
import { RecentStorage, StorageInfo } from './types';

export interface DashboardPanelOptions {
  client: DashboardClient;
  recentStorages: RecentStorage[];
  refreshIntervalMs: number;
  /** What to open first: a storage, or the state the panel had before a reload. */
  initialState?: PanelState;
  onStorageOpened?: (storage: StorageInfo) => void;
  /** Called when `state` changed, e.g. to save it in the workspace. */
  onStateChanged?: (state: PanelState) => void;
  findStorageFiles?: () => Promise<string[]>;
}

/** The main-area widget holding one dashboard (one storage at a time). */
export class DashboardPanel extends ReactWidget {
  private _state: PanelState;

  constructor(private readonly options: DashboardPanelOptions) {
    super();
    this._state = options.initialState ?? EMPTY_PANEL_STATE;
    this.addClass('jp-OptunaDashboard-panel');
    this.title.label = 'Optuna Dashboard';
    this.title.closable = true;
  }

  /** What the dashboard shows: its storage, study, tab and trial. */
  get state(): PanelState {
    return this._state;
  }

  private readonly setTitle = (title: string): void => {
    this.title.label = title ? `Optuna: ${title}` : 'Optuna Dashboard';
  };

  private readonly setState = (state: PanelState): void => {
    if (!samePanelState(state, this._state)) {
      this._state = state;
      this.options.onStateChanged?.(state);
    }
  };

  render(): JSX.Element {
    return (
      <SelectContext.Provider value={HTMLSelect}>
        <App
          client={this.options.client}
          recentStorages={this.options.recentStorages}
          initialState={this.options.initialState}
          refreshIntervalMs={this.options.refreshIntervalMs}
          onStorageOpened={this.options.onStorageOpened}
          onStateChanged={this.setState}
          findStorageFiles={this.options.findStorageFiles}
          onTitleChange={this.setTitle}
        />
      </SelectContext.Provider>
    );
  }
}
