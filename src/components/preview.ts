/**
 * Text previews of artifacts: which files get one, and CSV / JSON Lines parsed into a
 * table. Pure functions, unit-tested.
 */
import { ArtifactMeta } from '../types';

export type PreviewKind = 'csv' | 'tsv' | 'jsonl' | 'text';

const BY_EXTENSION: Record<string, PreviewKind> = {
  csv: 'csv',
  tsv: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  txt: 'text',
  log: 'text',
  md: 'text',
  json: 'text',
  yaml: 'text',
  yml: 'text',
  toml: 'text',
  py: 'text',
  xml: 'text',
  svg: 'text',
  html: 'text',
  htm: 'text'
};

const BY_MIMETYPE: Record<string, PreviewKind> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/jsonl': 'jsonl',
  'application/x-ndjson': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/json': 'text',
  'application/xml': 'text',
  'image/svg+xml': 'text',
  'application/x-yaml': 'text'
};

/** The preview an artifact gets, or null (media and binary files have none). */
export function previewKind(artifact: ArtifactMeta): PreviewKind | null {
  const dot = artifact.filename.lastIndexOf('.');
  const extension = dot < 0 ? '' : artifact.filename.slice(dot + 1).toLowerCase();
  const mimetype = artifact.mimetype.split(';')[0].trim().toLowerCase();
  return (
    BY_EXTENSION[extension] ??
    BY_MIMETYPE[mimetype] ??
    (mimetype.startsWith('text/') ? 'text' : null)
  );
}

export interface Table {
  columns: string[];
  rows: string[][];
}

/**
 * Rows of delimiter-separated text (RFC 4180 quoting: fields in double quotes may hold
 * delimiters, newlines and doubled quotes). Stops after `maxRows` rows.
 */
export function parseDelimited(text: string, delimiter: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (row.length > 1 || row[0] !== '') {
      rows.push(row);
    }
    row = [];
  };
  while (i < text.length && rows.length < maxRows) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      endRow();
    } else {
      field += c;
    }
    i++;
  }
  if (rows.length < maxRows && (field !== '' || row.length > 0)) {
    endRow();
  }
  return rows;
}

/** A table from CSV/TSV with a header row. */
export function delimitedTable(text: string, delimiter: string, maxRows: number): Table {
  const [header = [], ...rows] = parseDelimited(text, delimiter, maxRows + 1);
  return { columns: header, rows };
}

/**
 * A table from JSON Lines: one column per key seen (in order of appearance); a line that
 * is not a JSON object becomes a single `value` cell.
 */
export function jsonlTable(text: string, maxRows: number): Table {
  const records: Record<string, unknown>[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (records.length >= maxRows) {
      break;
    }
    if (!line.trim()) {
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = line;
    }
    records.push(
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : { value: parsed }
    );
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const cell = (v: unknown) =>
    v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return { columns, rows: records.map(r => columns.map(c => cell(r[c]))) };
}
