import assert from 'node:assert/strict';
import { test } from 'node:test';

import { firstTab } from '../components/StudyOverview';
import { EMPTY_PANEL_STATE, panelStateFromArgs, reopen, samePanelState } from '../panelState';
import { StorageInfo, StudySummary } from '../types';

function storageInfo(storageId: string, url: string, artifactDir: string | null): StorageInfo {
  return {
    storage_id: storageId,
    url,
    kind: 'rdb',
    artifact_dir: artifactDir,
    artifacts: artifactDir !== null,
    label: url
  };
}

function summary(studyId: number, name: string): StudySummary {
  return {
    study_id: studyId,
    study_name: name,
    directions: ['minimize'],
    metric_names: null,
    best_values: null,
    n_trials: 0,
    is_preferential: false,
    user_attrs: {},
    datetime_start: null
  };
}

/** A back end with some storages open and the given studies in each, recording calls. */
function fakeClient(open: StorageInfo[], studies: StudySummary[]) {
  const calls: string[] = [];
  return {
    calls,
    listStorages: async () => {
      calls.push('listStorages');
      return open;
    },
    openStorage: async (url: string, artifactDir?: string | null) => {
      calls.push(`openStorage ${url} ${artifactDir}`);
      if (url.endsWith('gone.db')) {
        throw new Error('No such file: gone.db');
      }
      return storageInfo('new', url, artifactDir ?? null);
    },
    listStudies: async (storageId: string) => {
      calls.push(`listStudies ${storageId}`);
      return studies;
    }
  };
}

test('the state in command arguments: saved fields kept, malformed ones left out', () => {
  const saved = {
    storage: 'sqlite:////r/a.db',
    artifactDir: '/r/art',
    study: 's',
    tab: 'note',
    trial: 3
  };
  assert.deepEqual(panelStateFromArgs({ id: 'optuna-dashboard-1', ...saved }), saved);
  // From the file browser: a path only.
  const path = { ...EMPTY_PANEL_STATE, storage: 'a.db' };
  assert.deepEqual(panelStateFromArgs({ storage: 'a.db' }), path);
  // From the launcher: nothing to open.
  assert.deepEqual(panelStateFromArgs({ isLauncher: true }), EMPTY_PANEL_STATE);
  assert.deepEqual(
    panelStateFromArgs({ storage: 'a.db', artifactDir: 7, study: ' ', tab: 'note', trial: 3 }),
    path,
    'no study: no tab or trial'
  );
  for (const trial of [-1, 1.5, '3', null]) {
    assert.equal(panelStateFromArgs({ ...saved, trial }).trial, null, String(trial));
  }
  assert.deepEqual(panelStateFromArgs({ ...saved, storage: null }), EMPTY_PANEL_STATE);
});

test('states are the same when every field is', () => {
  const a = { storage: 'x', artifactDir: null, study: 's', tab: 'trials', trial: 1 };
  assert.ok(samePanelState(a, { ...a }));
  assert.ok(!samePanelState(a, { ...a, trial: 2 }));
  assert.ok(!samePanelState(a, { ...a, tab: 'note' }));
  assert.ok(!samePanelState(a, { ...a, artifactDir: '/art' }));
});

test('reopen uses the storage open with the same URL and artifact directory', async () => {
  const url = 'postgresql://u:***@db/optuna';
  const client = fakeClient(
    [storageInfo('other', url, '/elsewhere'), storageInfo('kept', url, '/art')],
    [summary(1, 'a'), summary(2, 'b')]
  );
  const opened = await reopen(client, { storage: url, artifactDir: '/art', study: 'b' });
  assert.equal(opened.storage.storage_id, 'kept');
  assert.equal(opened.study?.study_id, 2);
  assert.deepEqual(client.calls, ['listStorages', 'listStudies kept']);
});

test('reopen opens the storage again when the server does not have it open', async () => {
  const client = fakeClient([storageInfo('other', 'sqlite:////r/b.db', null)], [summary(1, 'a')]);
  const target = { storage: 'sqlite:////r/a.db', artifactDir: null, study: 'a' };
  const opened = await reopen(client, target);
  assert.equal(opened.storage.storage_id, 'new');
  assert.equal(opened.study?.study_name, 'a');
  assert.deepEqual(client.calls, [
    'listStorages',
    'openStorage sqlite:////r/a.db null',
    'listStudies new'
  ]);
});

test('reopen without a study, and with a study no longer there', async () => {
  const client = fakeClient([], [summary(1, 'a')]);
  const target = { storage: 'a.db', artifactDir: null, study: null };
  assert.equal((await reopen(client, target)).study, null);
  assert.deepEqual(client.calls, ['listStorages', 'openStorage a.db null']);
  assert.equal((await reopen(client, { ...target, study: 'z' })).study, null);
});

test('reopen fails when the storage cannot be opened, even if the listing failed', async () => {
  const client = fakeClient([], []);
  client.listStorages = async () => {
    throw new Error('403');
  };
  await assert.rejects(
    reopen(client, { storage: 'gone.db', artifactDir: null, study: 's' }),
    /No such file: gone\.db/
  );
});

test('a study page opens on the saved tab when the study has it, else on its first', () => {
  assert.equal(firstTab('note', false), 'note');
  assert.equal(firstTab('history', true), 'history');
  assert.equal(firstTab(null, false), 'trials');
  assert.equal(firstTab(undefined, true), 'compare');
  assert.equal(firstTab('compare', false), 'trials', 'a preferential tab on a plain study');
  assert.equal(firstTab('nonsense', true), 'compare');
});
