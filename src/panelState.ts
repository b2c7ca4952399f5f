/**
 * What a dashboard panel shows, in a form JupyterLab can keep in the workspace (the
 * layout restorer saves it and runs the open command with it after a reload).
 */
import { DashboardClient } from './client';
import { StorageInfo, StudySummary } from './types';

/** A type alias, not an interface: it must be assignable to a JSON object. */
export type PanelState = {
  /** The storage's URL (or the path the file browser gave); null: the storage picker. */
  storage: string | null;
  artifactDir: string | null;
  /** The open study by name: names are unique in a storage, ids can be reused. */
  study: string | null;
  /** The study page's tab. */
  tab: string | null;
  /** The selected trial's number. */
  trial: number | null;
};

export const EMPTY_PANEL_STATE: PanelState = {
  storage: null,
  artifactDir: null,
  study: null,
  tab: null,
  trial: null
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * The state in a command's arguments (from the file browser, or saved in a workspace,
 * which may be old or edited by hand): anything malformed is left out.
 */
export function panelStateFromArgs(args: Readonly<Record<string, unknown>>): PanelState {
  const storage = text(args.storage);
  const study = storage === null ? null : text(args.study);
  const trial = args.trial;
  return {
    storage,
    artifactDir: storage === null ? null : text(args.artifactDir),
    study,
    tab: study === null ? null : text(args.tab),
    trial:
      study !== null && typeof trial === 'number' && Number.isInteger(trial) && trial >= 0
        ? trial
        : null
  };
}

export function samePanelState(a: PanelState, b: PanelState): boolean {
  return (
    a.storage === b.storage &&
    a.artifactDir === b.artifactDir &&
    a.study === b.study &&
    a.tab === b.tab &&
    a.trial === b.trial
  );
}

/** Where a panel reopens: a storage and, by name, one of its studies. */
export interface ReopenTarget {
  storage: string;
  artifactDir: string | null;
  study: string | null;
}

export interface Reopened {
  storage: StorageInfo;
  /** The study asked for, or null when none was or it is not in the storage any more. */
  study: StudySummary | null;
}

/**
 * Open the storage and find the study of a saved panel. A storage the server still has
 * open is used as it is: its URL as listed may not open again (a masked password, or a
 * storage the administrator opened outside the root).
 *
 * Rejects when the storage cannot be opened or its studies cannot be read (a file gone).
 */
export async function reopen(
  client: Pick<DashboardClient, 'listStorages' | 'openStorage' | 'listStudies'>,
  target: ReopenTarget
): Promise<Reopened> {
  const open = await client.listStorages().catch((): StorageInfo[] => []);
  const storage =
    open.find(s => s.url === target.storage && s.artifact_dir === target.artifactDir) ??
    (await client.openStorage(target.storage, target.artifactDir));
  if (target.study === null) {
    return { storage, study: null };
  }
  const studies = await client.listStudies(storage.storage_id);
  return { storage, study: studies.find(s => s.study_name === target.study) ?? null };
}
