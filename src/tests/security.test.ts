import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isInlineSafe, mediaKind, objectUrlType } from '../artifactTypes';
import { previewKind } from '../components/preview';
import { readCookie } from '../cookie';

const meta = (filename: string, mimetype: string) => ({
  artifact_id: 'a',
  filename,
  mimetype,
  encoding: null
});

test('object URLs keep only types that cannot run script', () => {
  assert.equal(objectUrlType('image/png'), 'image/png');
  assert.equal(objectUrlType('audio/wav'), 'audio/wav');
  assert.equal(objectUrlType('text/plain; charset=utf-8'), 'text/plain');
  for (const scriptable of [
    'text/html',
    'TEXT/HTML; charset=utf-8',
    'image/svg+xml',
    'application/xhtml+xml',
    'text/xml',
    'application/javascript',
    'application/pdf',
    ''
  ]) {
    assert.equal(objectUrlType(scriptable), 'application/octet-stream', scriptable);
    assert.equal(isInlineSafe(scriptable), false, scriptable);
  }
});

test('HTML and SVG artifacts are previewed as text, never rendered', () => {
  assert.equal(previewKind(meta('page.html', 'text/html')), 'text');
  assert.equal(previewKind(meta('plot.svg', 'image/svg+xml')), 'text');
  assert.equal(previewKind(meta('x', 'image/svg+xml')), 'text');
});

test('readCookie finds a cookie among others, by exact name', () => {
  const cookies = 'a=1; jupyterlab-optuna-xsrf-8080=abc%3D; jupyterlab-optuna-xsrf-80=zz';
  assert.equal(readCookie(cookies, 'jupyterlab-optuna-xsrf-8080'), 'abc=');
  assert.equal(readCookie(cookies, 'jupyterlab-optuna-xsrf-80'), 'zz');
  assert.equal(readCookie(cookies, 'missing'), null);
  assert.equal(readCookie('', 'a'), null);
});

test('media are shown as such only when the browser runs nothing in them', () => {
  assert.equal(mediaKind('image/png'), 'image');
  assert.equal(mediaKind('IMAGE/JPEG; q=1'), 'image');
  assert.equal(mediaKind('video/mp4'), 'video');
  assert.equal(mediaKind('audio/wav'), 'audio');
  for (const other of ['image/svg+xml', 'text/html', 'application/octet-stream', '']) {
    assert.equal(mediaKind(other), null, other);
  }
});
