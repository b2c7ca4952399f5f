import assert from 'node:assert/strict';
import { test } from 'node:test';

import { OPEN_PARAM, openRequest, treePageUrl, withoutOpenRequest } from '../notebookHost';

test('the tree page URL asks for the picker, or for a storage, and reads back the same', () => {
  const picker = treePageUrl('http://127.0.0.1:8888/base/', null);
  assert.equal(picker, `http://127.0.0.1:8888/base/tree?${OPEN_PARAM}=`);
  assert.deepEqual(openRequest(new URL(picker).search), { storage: null });

  const storage = 'runs/my study.db';
  const url = new URL(treePageUrl('http://127.0.0.1/base/', storage));
  assert.equal(url.pathname, '/base/tree');
  assert.deepEqual(openRequest(url.search), { storage });
});

test('a query without the parameter asks for nothing; a blank storage is the picker', () => {
  assert.equal(openRequest(''), null);
  assert.equal(openRequest('?token=abc&optuna=1'), null);
  assert.deepEqual(openRequest(`?${OPEN_PARAM}`), { storage: null });
  assert.deepEqual(openRequest(`?${OPEN_PARAM}=%20%20`), { storage: null });
});

test('the request is taken out of the query, other parameters stay', () => {
  assert.equal(withoutOpenRequest(`?${OPEN_PARAM}=a.db`), '');
  assert.equal(withoutOpenRequest(`?token=abc&${OPEN_PARAM}=a.db&x=1`), '?token=abc&x=1');
  assert.equal(withoutOpenRequest('?token=abc'), '?token=abc');
});
