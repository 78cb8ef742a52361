// The result of one statement: columns and rows as the protocol sends them, plus the pure
// operations on them (sort, filter, export) that the grid and the downloads use.

export interface Column {
  name: string;
  type: string;
}

export type Cell = string | number | boolean | null | unknown[] | Record<string, unknown>;
export type Row = Cell[];

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|decimal)/;
const TEMPORAL = /^(date|timestamp|time)/;

export function isNumeric(type: string): boolean {
  return NUMERIC.test(type);
}

export function isTemporal(type: string): boolean {
  return TEMPORAL.test(type);
}

/** The text a cell shows, copies and exports; NULL is the empty string here (the grid marks it apart). */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function compareCells(a: Cell, b: Cell, numeric: boolean): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // NULLs last
  if (b === null || b === undefined) return -1;
  if (numeric) {
    const x = Number(a);
    const y = Number(b);
    if (x !== y) return x < y ? -1 : 1;
    return 0;
  }
  const x = cellText(a);
  const y = cellText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The row numbers to show, in order: rows whose text contains `filter` (case-insensitive, any
 * column; empty = all), sorted by column `sortColumn` (-1 = as received), NULLs last.
 */
export function viewIndex(columns: Column[], rows: Row[], sortColumn: number, descending: boolean, filter: string): Int32Array {
  let index: number[] = [];
  const needle = filter.trim().toLowerCase();
  if (needle === '' && sortColumn < 0) {
    const all = new Int32Array(rows.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }
  if (needle === '') {
    index = Array.from({ length: rows.length }, (_, i) => i);
  } else {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      for (let c = 0; c < row.length; c++) {
        if (cellText(row[c]).toLowerCase().includes(needle)) {
          index.push(i);
          break;
        }
      }
    }
  }
  if (sortColumn >= 0 && sortColumn < columns.length) {
    const numeric = isNumeric(columns[sortColumn].type);
    const sign = descending ? -1 : 1;
    index.sort((a, b) => {
      const x = rows[a][sortColumn];
      const y = rows[b][sortColumn];
      if (x === null || x === undefined || y === null || y === undefined) return compareCells(x, y, numeric); // NULLs last both ways
      return sign * compareCells(x, y, numeric) || a - b;
    });
  }
  return Int32Array.from(index);
}

/** One CSV field (RFC 4180); a text that a spreadsheet would run as a formula gets a leading quote. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = cellText(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = "'" + text;
  if (/[",\r\n]/.test(text)) return '"' + text.replace(/"/g, '""') + '"';
  return text;
}

export function toCsv(columns: Column[], rows: Row[], index?: ArrayLike<number>): string {
  const lines: string[] = [columns.map((column) => csvField(column.name)).join(',')];
  const count = index ? index.length : rows.length;
  for (let i = 0; i < count; i++) {
    const row = rows[index ? index[i] : i];
    lines.push(row.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** An array of objects keyed by column name. */
export function toJson(columns: Column[], rows: Row[], index?: ArrayLike<number>): string {
  const count = index ? index.length : rows.length;
  const out: Record<string, Cell>[] = [];
  for (let i = 0; i < count; i++) {
    const row = rows[index ? index[i] : i];
    const object: Record<string, Cell> = {};
    columns.forEach((column, c) => (object[column.name] = row[c] ?? null));
    out.push(object);
  }
  return JSON.stringify(out, null, 1);
}

/** Rows as tab-separated text (what a spreadsheet pastes), with a header line when asked. */
export function toTsv(columns: Column[], rows: Row[], header: boolean): string {
  const clean = (text: string) => text.replace(/[\t\r\n]+/g, ' ');
  const lines = rows.map((row) => row.map((cell) => clean(cellText(cell))).join('\t'));
  if (header) lines.unshift(columns.map((column) => clean(column.name)).join('\t'));
  return lines.join('\n');
}

/** Guesses a chart for a result: a temporal or text first column and the numeric columns after it. */
export function suggestChart(columns: Column[], rowCount: number): { x: number; y: number[]; kind: 'bar' | 'line' } | undefined {
  const numeric = columns.map((column, i) => (isNumeric(column.type) ? i : -1)).filter((i) => i >= 0);
  if (columns.length < 2 || numeric.length === 0) return undefined;
  const x = columns.findIndex((column) => isTemporal(column.type));
  if (x >= 0) return { x, y: numeric.filter((i) => i !== x), kind: 'line' };
  const label = columns.findIndex((column) => !isNumeric(column.type));
  const xColumn = label >= 0 ? label : numeric[0];
  const y = numeric.filter((i) => i !== xColumn);
  if (y.length === 0) return undefined;
  return { x: xColumn, y, kind: rowCount > 50 ? 'line' : 'bar' };
}

/** Seconds since the epoch for a Trino date/timestamp text (UTC unless it carries a zone), NaN when unreadable. */
export function parseTemporal(value: Cell): number {
  if (value === null || value === undefined) return NaN;
  const text = String(value).trim();
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(.*)$/.exec(text);
  if (!match) return NaN;
  const zone = match[3];
  const iso = match[1] + 'T' + (match[2] ?? '00:00:00') + (zone === '' || zone === 'UTC' ? 'Z' : /^[+-]\d{2}:\d{2}$/.test(zone) ? zone : 'Z');
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1')) / 1000;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${bytes | 0} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function formatDuration(millis: number): string {
  if (millis < 1000) return `${millis | 0} ms`;
  if (millis < 60_000) return `${(millis / 1000).toFixed(millis < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(millis / 60_000);
  return `${minutes} min ${Math.round((millis % 60_000) / 1000)} s`;
}
