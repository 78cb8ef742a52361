import { describe, expect, it } from 'vitest';
import { csvField, formatBytes, parseTemporal, suggestChart, toCsv, toJson, toTsv, viewIndex, type Column, type Row } from './results';

const columns: Column[] = [
  { name: 'name', type: 'varchar' },
  { name: 'n', type: 'bigint' },
];
const rows: Row[] = [
  ['b', 10],
  ['a', 2],
  [null, 5],
  ['c', null],
];

describe('viewIndex', () => {
  it('sorts numbers as numbers and NULLs last both ways', () => {
    expect(Array.from(viewIndex(columns, rows, 1, false, ''))).toEqual([1, 2, 0, 3]);
    expect(Array.from(viewIndex(columns, rows, 1, true, ''))).toEqual([0, 2, 1, 3]);
    expect(Array.from(viewIndex(columns, rows, 0, false, ''))).toEqual([1, 0, 3, 2]);
  });
  it('filters on any column, case-insensitively', () => {
    expect(Array.from(viewIndex(columns, rows, -1, false, 'B'))).toEqual([0]);
    expect(Array.from(viewIndex(columns, rows, -1, false, '5'))).toEqual([2]);
  });
  it('handles 100,000 rows quickly', () => {
    const big: Row[] = Array.from({ length: 100_000 }, (_, i) => [`r${i}`, (i * 7919) % 100_003]);
    const start = performance.now();
    const index = viewIndex(columns, big, 1, true, '');
    expect(index.length).toBe(100_000);
    expect(big[index[0]][1]).toBeGreaterThanOrEqual(big[index[1]][1] as number);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('export', () => {
  it('writes RFC 4180 CSV with NULL as empty and a guard against formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('-12')).toBe('-12');
    expect(csvField(null)).toBe('');
    expect(toCsv(columns, rows)).toBe('name,n\r\nb,10\r\na,2\r\n,5\r\nc,\r\n');
    expect(toCsv(columns, rows, [1])).toBe('name,n\r\na,2\r\n');
  });
  it('writes JSON objects keyed by column', () => {
    expect(JSON.parse(toJson(columns, rows, [2, 3]))).toEqual([{ name: null, n: 5 }, { name: 'c', n: null }]);
  });
  it('writes TSV for the clipboard', () => {
    expect(toTsv(columns, [['x\ty', 1]], true)).toBe('name\tn\nx y\t1');
  });
});

describe('charts', () => {
  it('suggests a line over time and bars over categories', () => {
    expect(suggestChart([{ name: 'd', type: 'timestamp(3)' }, { name: 'n', type: 'bigint' }], 10)).toEqual({ x: 0, y: [1], kind: 'line' });
    expect(suggestChart(columns, 10)).toEqual({ x: 0, y: [1], kind: 'bar' });
    expect(suggestChart([{ name: 'a', type: 'varchar' }], 1)).toBeUndefined();
  });
  it('reads Trino timestamps', () => {
    expect(parseTemporal('2026-12-07 10:00:00.000')).toBe(Date.UTC(2026, 11, 7, 10) / 1000);
    expect(parseTemporal('2026-12-07')).toBe(Date.UTC(2026, 11, 7) / 1000);
    expect(parseTemporal('2026-12-07 10:00:00.123456 UTC')).toBeCloseTo(Date.UTC(2026, 11, 7, 10) / 1000 + 0.123, 3);
    expect(Number.isNaN(parseTemporal('soon'))).toBe(true);
  });
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 kB');
  });
});
