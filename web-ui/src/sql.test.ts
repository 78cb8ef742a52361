import { describe, expect, it } from 'vitest';
import { cleanStatement, errorOffset, formatSql, splitStatements, statementAt, tokenEnd } from './sql';

describe('splitStatements', () => {
  it('splits on semicolons outside strings, quoted names and comments', () => {
    const script = "SELECT ';' AS a;\n-- comment; here\nSELECT \"x;y\" FROM t /* ; */;\n\n  SELECT 3";
    const statements = splitStatements(script);
    expect(statements.map((s) => s.text)).toEqual(["SELECT ';' AS a", '-- comment; here\nSELECT "x;y" FROM t /* ; */', 'SELECT 3']);
    for (const s of statements) expect(script.slice(s.from, s.to)).toBe(s.text);
  });

  it('handles doubled quotes inside strings', () => {
    expect(splitStatements("SELECT 'it''s; fine'; SELECT 2").map((s) => s.text)).toEqual(["SELECT 'it''s; fine'", 'SELECT 2']);
  });
});

describe('statementAt', () => {
  const script = 'SELECT 1;\nSELECT 2;\n\nSELECT 3';
  it('finds the statement under the cursor', () => {
    expect(statementAt(script, 3)?.text).toBe('SELECT 1');
    expect(statementAt(script, 14)?.text).toBe('SELECT 2');
    expect(statementAt(script, script.length)?.text).toBe('SELECT 3');
  });
  it('takes the previous statement when the cursor rests after its semicolon', () => {
    expect(statementAt('SELECT 1;  ', 10)?.text).toBe('SELECT 1');
  });
});

describe('errorOffset', () => {
  const doc = 'SELECT 1;\n  SELECT x\n  FROM t';
  const from = doc.indexOf('SELECT x');
  it('adds the statement start column on its first line only', () => {
    expect(doc.slice(errorOffset(doc, from, 1, 8))).toMatch(/^x/);
    expect(doc.slice(errorOffset(doc, from, 2, 8))).toMatch(/^t$/);
  });
  it('marks the whole token', () => {
    const at = errorOffset(doc, from, 2, 8);
    expect(doc.slice(at, tokenEnd(doc, at))).toBe('t');
    expect(tokenEnd('foo_bar baz', 0)).toBe(7);
  });
});

describe('formatSql', () => {
  it('puts clauses on their own lines and upper-cases keywords', () => {
    expect(formatSql("select a, count(*) as n from t where x = 'from' and y > 1 group by a order by n desc limit 10")).toBe(
      "SELECT\n  a,\n  count(*) AS n\nFROM t\nWHERE x = 'from'\n  AND y > 1\nGROUP BY\n  a\nORDER BY\n  n DESC\nLIMIT 10",
    );
  });
  it('keeps function arguments on one line and comments as written', () => {
    expect(formatSql('select coalesce(a, b) -- pick one\nfrom t')).toBe('SELECT\n  coalesce(a, b) -- pick one\nFROM t');
  });
  it('is stable', () => {
    const once = formatSql('select a from t join u on t.id = u.id where a is not null');
    expect(formatSql(once)).toBe(once);
  });
});

describe('cleanStatement', () => {
  it('drops a trailing semicolon', () => {
    expect(cleanStatement('  SELECT 1 ;  ')).toBe('SELECT 1');
  });
});
