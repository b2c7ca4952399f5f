import { INotebookTree } from '@jupyter-notebook/tree';
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { labHttpClient } from './labClient';
import { optunaIcon } from './icon';
import { openRequest, treePageUrl, withoutOpenRequest } from './notebookHost';
import { DashboardPanel } from './panel';
import { panelStateFromArgs } from './panelState';
import { StorageInfo } from './types';

const PLUGIN_ID = 'jupyterlab-optuna:plugin';
const MAX_RECENT = 10;
/** Files the file browser offers to open in the dashboard: SQLite files and journal logs. */
const STORAGE_FILE = /\.(db|sqlite|sqlite3|log)$/i;

export namespace CommandIDs {
  export const open = 'optuna-dashboard:open';
  export const openFile = 'optuna-dashboard:open-file';
}

interface DashboardSettings {
  recentStorages: string[];
  /** The artifact directory each recent storage was last opened with. */
  recentArtifactDirs: Record<string, string>;
  refreshIntervalSeconds: number;
}

const DEFAULT_SETTINGS: DashboardSettings = {
  recentStorages: [],
  recentArtifactDirs: {},
  refreshIntervalSeconds: 5
};

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    "Optuna's dashboard and human-in-the-loop optimization in JupyterLab and Notebook 7.",
  autoStart: true,
  optional: [
    ILauncher,
    ICommandPalette,
    ISettingRegistry,
    IDefaultFileBrowser,
    ILayoutRestorer,
    IMainMenu,
    INotebookTree
  ],
  activate: async (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    fileBrowser: IDefaultFileBrowser | null,
    restorer: ILayoutRestorer | null,
    mainMenu: IMainMenu | null,
    notebookTree: INotebookTree | null
  ) => {
    const client = labHttpClient(app.serviceManager.serverSettings);
    const tracker = new WidgetTracker<MainAreaWidget<DashboardPanel>>({
      namespace: 'optuna-dashboard'
    });
    // After a reload (and in saved workspaces) each panel reopens on what it showed; its
    // id is kept so that the saved layout finds it and its saved state is replaced.
    void restorer?.restore(tracker, {
      command: CommandIDs.open,
      args: widget => ({ id: widget.id, ...widget.content.state }),
      name: widget => widget.id
    });
    let settings: ISettingRegistry.ISettings | null = null;
    if (settingRegistry) {
      try {
        settings = await settingRegistry.load(PLUGIN_ID);
      } catch (reason) {
        console.warn('jupyterlab-optuna: settings could not be loaded.', reason);
      }
    }
    const current = (): DashboardSettings => ({
      ...DEFAULT_SETTINGS,
      ...((settings?.composite ?? {}) as Partial<DashboardSettings>)
    });
    // SQLite files and journal logs in the file browser's current directory (the server
    // looks inside them: a .log file is offered only when it is a journal).
    const findStorageFiles = async (): Promise<string[]> => {
      const dir = app.serviceManager.contents.localPath(fileBrowser?.model.path ?? '');
      const r = await client.request<{ files: string[] }>('GET', ['storage-files'], {
        query: { dir }
      });
      return r.files;
    };
    const remember = async (storage: StorageInfo) => {
      if (!settings) {
        return;
      }
      const { url, artifact_dir: dir } = storage;
      const before = current();
      const recent = [url, ...before.recentStorages.filter(u => u !== url)].slice(0, MAX_RECENT);
      const dirs: Record<string, string> = {};
      for (const u of recent) {
        const known = u === url ? dir : before.recentArtifactDirs[u];
        if (known) {
          dirs[u] = known;
        }
      }
      await settings.set('recentStorages', recent);
      await settings.set('recentArtifactDirs', dirs);
    };

    // JupyterLab docks the panel in its main area; Notebook 7's tree page (the only one
    // with INotebookTree) shows it as a tab next to its files (see notebookHost.ts).
    const place = (widget: MainAreaWidget<DashboardPanel>): void => {
      if (notebookTree) {
        notebookTree.addWidget(widget);
      } else {
        app.shell.add(widget, 'main');
      }
    };
    const show = (widget: MainAreaWidget<DashboardPanel>): void => {
      if (notebookTree) {
        notebookTree.currentWidget = widget;
      } else {
        app.shell.activateById(widget.id);
      }
    };

    app.commands.addCommand(CommandIDs.open, {
      label: args => (args.isLauncher ? 'Optuna Dashboard' : 'Open Optuna Dashboard'),
      caption: 'Open an Optuna storage in the dashboard',
      icon: args => (args.isPalette ? undefined : optunaIcon),
      execute: args => {
        // A restored panel keeps its id; one already open is shown instead of a twin.
        const id =
          typeof args.id === 'string' && args.id ? args.id : `optuna-dashboard-${Date.now()}`;
        const open = tracker.find(w => w.id === id);
        if (open) {
          show(open);
          return open;
        }
        const s = current();
        const content = new DashboardPanel({
          client,
          recentStorages: s.recentStorages.map(url => ({
            url,
            artifactDir: s.recentArtifactDirs[url] ?? null
          })),
          refreshIntervalMs: s.refreshIntervalSeconds * 1000,
          initialState: panelStateFromArgs(args),
          onStorageOpened: storage => void remember(storage),
          onStateChanged: () => void tracker.save(widget),
          findStorageFiles
        });
        const widget = new MainAreaWidget({ content });
        widget.id = id;
        widget.title.icon = optunaIcon;
        content.title.changed.connect(() => {
          widget.title.label = content.title.label;
        });
        widget.title.label = content.title.label;
        place(widget);
        if (widget.parent === null) {
          // The shell refused it: a Notebook 7 page showing a notebook or a file.
          widget.dispose();
          const storage = panelStateFromArgs(args).storage;
          window.open(treePageUrl(PageConfig.getBaseUrl(), storage), '_blank');
          return null;
        }
        void tracker.add(widget);
        show(widget);
        return widget;
      }
    });

    if (fileBrowser) {
      const selectedStorageFile = (): string | null => {
        const item = fileBrowser.selectedItems().next();
        const model = item && !item.done ? item.value : null;
        return model && model.type !== 'directory' && STORAGE_FILE.test(model.name)
          ? model.path
          : null;
      };
      app.commands.addCommand(CommandIDs.openFile, {
        label: 'Open in Optuna Dashboard',
        icon: optunaIcon,
        isVisible: () => selectedStorageFile() !== null,
        execute: () => {
          const path = selectedStorageFile();
          return path ? app.commands.execute(CommandIDs.open, { storage: path }) : undefined;
        }
      });
      app.contextMenu.addItem({
        command: CommandIDs.openFile,
        selector: '.jp-DirListing-item[data-isdir="false"]',
        rank: 3
      });
    }

    // The tile says "Optuna Dashboard", as the README does; the palette keeps "Open …".
    launcher?.add({
      command: CommandIDs.open,
      category: 'Other',
      rank: 1,
      args: { isLauncher: true }
    });
    palette?.addItem({ command: CommandIDs.open, category: 'Optuna' });
    // The View menu lists the panels one can show, in JupyterLab and on every Notebook 7
    // page (which has no launcher): the dashboard is one more.
    mainMenu?.viewMenu.addGroup([{ command: CommandIDs.open }], 100);

    // A Notebook 7 page that could not host the panel opened this tree page to do it.
    const request = notebookTree ? openRequest(window.location.search) : null;
    if (request) {
      const { pathname, search, hash } = window.location;
      window.history.replaceState(null, '', pathname + withoutOpenRequest(search) + hash);
      void app.restored.then(() =>
        app.commands.execute(CommandIDs.open, { storage: request.storage })
      );
    }
  }
};

export default plugin;
