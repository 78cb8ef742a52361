import { describe, expect, it } from 'vitest';
import { formatName, parseDescribeFormatted, quoteIdentifier } from './catalog';

describe('parseDescribeFormatted', () => {
  it('reads columns, partition keys, location and format', () => {
    const rows = [
      ['# col_name', 'data_type', 'comment'],
      ['ts', 'timestamp', ''],
      ['status', 'int', 'HTTP status'],
      ['', '', ''],
      ['# Partition Information', '', ''],
      ['# col_name', 'data_type', 'comment'],
      ['day', 'string', ''],
      ['', '', ''],
      ['# Detailed Table Information', '', ''],
      ['Database:', 'web', ''],
      ['Table Type:', 'EXTERNAL_TABLE', ''],
      ['Location:', 's3://logs/access', ''],
      ['', '# Storage Information', ''],
      ['SerDe Library:', 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', ''],
      ['InputFormat:', 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat', ''],
    ];
    const detail = parseDescribeFormatted(rows);
    expect(detail.columns).toEqual([
      { name: 'ts', type: 'timestamp', partition: false, comment: '' },
      { name: 'status', type: 'int', partition: false, comment: 'HTTP status' },
      { name: 'day', type: 'string', partition: true, comment: '' },
    ]);
    expect(detail.location).toBe('s3://logs/access');
    expect(detail.format).toBe('Parquet');
    expect(detail.tableType).toBe('EXTERNAL_TABLE');
  });
  it('names formats and quotes identifiers', () => {
    expect(formatName('org.apache.hadoop.mapred.TextInputFormat')).toBe('Text');
    expect(formatName('org.openx.data.jsonserde.JsonSerDe')).toBe('JSON');
    expect(quoteIdentifier('access_logs')).toBe('access_logs');
    expect(quoteIdentifier('My "T"')).toBe('"My ""T"""');
  });
});
