import assert from 'node:assert/strict';
import { test } from 'node:test';

import { delimitedTable, jsonlTable, parseDelimited, previewKind } from '../components/preview';

const meta = (filename: string, mimetype: string) => ({
  artifact_id: 'a',
  filename,
  mimetype,
  encoding: null
});

test('preview kind comes from the extension, then the mimetype; media has none', () => {
  assert.equal(previewKind(meta('scores.csv', 'application/octet-stream')), 'csv');
  assert.equal(previewKind(meta('rows.ndjson', 'application/octet-stream')), 'jsonl');
  assert.equal(previewKind(meta('data', 'text/tab-separated-values')), 'tsv');
  assert.equal(previewKind(meta('prompt', 'text/plain; charset=utf-8')), 'text');
  assert.equal(previewKind(meta('config.JSON', 'application/json')), 'text');
  assert.equal(previewKind(meta('image.png', 'image/png')), null);
  assert.equal(previewKind(meta('weights.bin', 'application/octet-stream')), null);
});

test('CSV parsing handles quotes, doubled quotes, newlines in fields and CRLF', () => {
  const text = 'a,b\r\n1,"x, y"\r\n2,"say ""hi"""\n3,"two\nlines"\n\n';
  assert.deepEqual(parseDelimited(text, ',', 100), [
    ['a', 'b'],
    ['1', 'x, y'],
    ['2', 'say "hi"'],
    ['3', 'two\nlines']
  ]);
  assert.deepEqual(parseDelimited('a\tb\n1\t2', '\t', 100), [
    ['a', 'b'],
    ['1', '2']
  ]);
});

test('tables stop at the row limit; the header is not counted', () => {
  const text = 'n\n' + Array.from({ length: 500 }, (_, k) => String(k)).join('\n');
  const table = delimitedTable(text, ',', 10);
  assert.deepEqual(table.columns, ['n']);
  assert.equal(table.rows.length, 10);
  assert.deepEqual(table.rows[9], ['9']);
});

test('JSON Lines make a column per key; non-objects and bad lines become a value cell', () => {
  const text = '{"step": 1, "loss": 0.5}\n{"step": 2, "note": {"ok": true}}\n[1, 2]\nnot json\n';
  assert.deepEqual(jsonlTable(text, 100), {
    columns: ['step', 'loss', 'note', 'value'],
    rows: [
      ['1', '0.5', '', ''],
      ['2', '', '{"ok":true}', ''],
      ['', '', '', '[1,2]'],
      ['', '', '', 'not json']
    ]
  });
});
