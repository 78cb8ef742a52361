// Pure SQL text helpers: statement splitting, the statement under the cursor, formatting and error positions.

export interface StatementRange {
  from: number;
  to: number;
  text: string;
}

/** Splits a script on semicolons that are outside strings, quoted identifiers and comments. */
export function splitStatements(script: string): StatementRange[] {
  const result: StatementRange[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text.length > 0) {
      result.push({ from: start + lead, to: start + lead + text.length, text });
    }
  };
  while (i < n) {
    const c = script[i];
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n) {
        if (script[i] === c) {
          if (script[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
    } else if (c === '-' && script[i + 1] === '-') {
      while (i < n && script[i] !== '\n') i++;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else {
      i++;
    }
  }
  push(n);
  return result;
}

/** The statement containing `pos`, or the nearest one before it (the cursor often rests after a semicolon). */
export function statementAt(script: string, pos: number): StatementRange | undefined {
  const statements = splitStatements(script);
  let best: StatementRange | undefined;
  for (const statement of statements) {
    if (pos >= statement.from && pos <= statement.to + 1) return statement;
    if (statement.to < pos) best = statement;
  }
  return best ?? statements[0];
}

/** Strips comments-only statements and a trailing semicolon; the protocol takes one statement. */
export function cleanStatement(text: string): string {
  return text.trim().replace(/;\s*$/, '').trim();
}

/**
 * The document offset of an error at 1-based `line`:`column` of a statement that starts at `from`:
 * lines add to the statement's first line; the column adds to its start column only on its first line.
 */
export function errorOffset(doc: string, from: number, line: number, column: number): number {
  let offset = from;
  for (let l = 1; l < line; l++) {
    const next = doc.indexOf('\n', offset);
    if (next < 0) return doc.length;
    offset = next + 1;
  }
  const lineEnd = doc.indexOf('\n', offset);
  const max = lineEnd < 0 ? doc.length : lineEnd;
  return Math.min(offset + Math.max(0, column - 1), max);
}

/** The end of the token that starts at `offset` (an identifier, number or quoted name), for marking an error. */
export function tokenEnd(doc: string, offset: number): number {
  if (offset >= doc.length) return offset;
  const c = doc[offset];
  if (c === '"' || c === "'") {
    const end = doc.indexOf(c, offset + 1);
    return end < 0 ? doc.length : end + 1;
  }
  let i = offset;
  while (i < doc.length && /[\w$.]/.test(doc[i])) i++;
  return i === offset ? Math.min(doc.length, offset + 1) : i;
}

const CLAUSES = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'OFFSET', 'UNION ALL', 'UNION', 'INTERSECT', 'EXCEPT',
  'LEFT OUTER JOIN', 'RIGHT OUTER JOIN', 'FULL OUTER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN', 'INNER JOIN', 'CROSS JOIN', 'JOIN',
  'WITH', 'VALUES', 'WINDOW',
];
const INDENTED = new Set(['AND', 'OR', 'ON']);

/**
 * Formats a statement: upper-case keywords, each clause on its own line, conditions indented and
 * select lists one item per line. Strings, quoted names and comments are kept as written.
 */
export function formatSql(sql: string): string {
  const tokens = tokenize(sql);
  let out = '';
  let depth = 0;
  let clause = '';
  const newline = (indent: number) => {
    out = out.replace(/[ \t]+$/, '');
    if (out.length > 0 && !out.endsWith('\n')) out += '\n';
    if (out.length > 0) out += '  '.repeat(Math.max(0, indent));
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'space') {
      if (out.length > 0 && !/[\s(]$/.test(out)) out += ' ';
      continue;
    }
    if (t.kind === 'word') {
      const upper = t.text.toUpperCase();
      const two = i + 2 < tokens.length ? upper + ' ' + tokens[i + 2].text.toUpperCase() : '';
      const three = i + 4 < tokens.length ? two + ' ' + tokens[i + 4].text.toUpperCase() : '';
      const match = [three, two, upper].find((candidate) => candidate && CLAUSES.includes(candidate));
      if (match) {
        newline(depth);
        out += match;
        i += (match.split(' ').length - 1) * 2;
        clause = match;
        if (match === 'SELECT' || match === 'GROUP BY' || match === 'ORDER BY') newline(depth + 1);
        else out += ' ';
        continue;
      }
      if (INDENTED.has(upper) && (clause === 'WHERE' || clause === 'HAVING' || clause.endsWith('JOIN'))) {
        newline(depth + 1);
        out += upper + ' ';
        continue;
      }
      out += KEYWORDS.has(upper) ? upper : t.text;
      continue;
    }
    if (t.text === '(') depth++;
    if (t.text === ')') depth = Math.max(0, depth - 1);
    if (t.text === ',' && (clause === 'SELECT' || clause === 'GROUP BY' || clause === 'ORDER BY') && topLevelComma(tokens, i)) {
      out = out.replace(/[ \t]+$/, '') + ',';
      newline(depth + 1);
      continue;
    }
    if (t.kind === 'comment' && t.text.startsWith('--')) {
      out += t.text;
      newline(depth);
      continue;
    }
    out += t.text;
  }
  return out.replace(/[ \t]+\n/g, '\n').trim();
}

/** Whether the comma at `index` separates items of the clause itself (not arguments of a call or a subquery's). */
function topLevelComma(tokens: Token[], index: number): boolean {
  let balance = 0;
  for (let i = index - 1; i >= 0; i--) {
    const text = tokens[i].text;
    if (text === ')') balance++;
    else if (text === '(') {
      if (balance === 0) return false;
      balance--;
    } else if (balance === 0 && tokens[i].kind === 'word' && /^(select|by)$/i.test(text)) return true;
  }
  return true;
}

interface Token {
  kind: 'word' | 'space' | 'string' | 'comment' | 'symbol';
  text: string;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    let j = i + 1;
    let kind: Token['kind'] = 'symbol';
    if (/\s/.test(c)) {
      while (j < sql.length && /\s/.test(sql[j])) j++;
      kind = 'space';
    } else if (/[A-Za-z_]/.test(c)) {
      while (j < sql.length && /[\w$]/.test(sql[j])) j++;
      kind = 'word';
    } else if (c === "'" || c === '"') {
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      j++;
      kind = 'string';
    } else if (c === '-' && sql[i + 1] === '-') {
      while (j < sql.length && sql[j] !== '\n') j++;
      kind = 'comment';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      j = end < 0 ? sql.length : end + 2;
      kind = 'comment';
    } else if (/[0-9]/.test(c)) {
      while (j < sql.length && /[\w.]/.test(sql[j])) j++;
      kind = 'symbol';
    } else if ((c === '<' || c === '>' || c === '!' || c === '|') && /[=>|]/.test(sql[i + 1] ?? '')) {
      j = i + 2;
    }
    tokens.push({ kind, text: sql.slice(i, Math.min(j, sql.length)) });
    i = Math.min(j, sql.length);
  }
  return tokens;
}

export const KEYWORD_LIST = [
  'ALL', 'ALTER', 'AND', 'ANY', 'ARRAY', 'AS', 'ASC', 'AT', 'BETWEEN', 'BY', 'CASE', 'CAST', 'COLUMNS', 'CREATE', 'CROSS', 'CUBE',
  'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DATABASE', 'DATABASES', 'DESC', 'DESCRIBE', 'DISTINCT', 'DROP', 'ELSE', 'END',
  'ESCAPE', 'EXCEPT', 'EXISTS', 'EXPLAIN', 'EXTERNAL', 'EXTRACT', 'FALSE', 'FETCH', 'FILTER', 'FIRST', 'FOLLOWING', 'FOR', 'FORMAT',
  'FORMATTED', 'FROM', 'FULL', 'FUNCTIONS', 'GROUP', 'GROUPING', 'HAVING', 'IF', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTERVAL',
  'INTO', 'IS', 'JOIN', 'LAST', 'LATERAL', 'LEFT', 'LIKE', 'LIMIT', 'LOCATION', 'MAP', 'MSCK', 'NATURAL', 'NOT', 'NULL', 'NULLS',
  'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'PARTITIONED', 'PARTITIONS', 'PRECEDING', 'RANGE', 'RECURSIVE',
  'REPAIR', 'RIGHT', 'ROLLUP', 'ROW', 'ROWS', 'SCHEMA', 'SCHEMAS', 'SELECT', 'SERDE', 'SET', 'SETS', 'SHOW', 'STORED', 'TABLE',
  'TABLES', 'TABLESAMPLE', 'TBLPROPERTIES', 'THEN', 'TIES', 'TO', 'TRUE', 'UNBOUNDED', 'UNION', 'UNNEST', 'USE', 'USING', 'VALUES',
  'VIEW', 'WHEN', 'WHERE', 'WINDOW', 'WITH', 'WITHIN', 'ZONE',
];
export const KEYWORDS = new Set(KEYWORD_LIST);

export const TYPE_LIST = [
  'bigint', 'boolean', 'char', 'date', 'decimal', 'double', 'integer', 'int', 'interval', 'ipaddress', 'json', 'real', 'smallint',
  'time', 'timestamp', 'tinyint', 'uuid', 'varbinary', 'varchar', 'array', 'map', 'row', 'string', 'float',
];

/** Trino functions that Glaux implements or that users of Athena type most. Extended at run time by SHOW FUNCTIONS. */
export const FUNCTION_LIST = [
  'abs', 'approx_distinct', 'approx_percentile', 'arbitrary', 'array_agg', 'array_join', 'avg', 'bool_and', 'bool_or',
  'cardinality', 'ceil', 'ceiling', 'coalesce', 'concat', 'contains', 'count', 'count_if', 'current_date', 'current_timestamp',
  'date', 'date_add', 'date_diff', 'date_format', 'date_parse', 'date_trunc', 'day', 'day_of_week', 'element_at', 'exp',
  'floor', 'format_datetime', 'from_iso8601_timestamp', 'from_unixtime', 'greatest', 'hour', 'if', 'json_extract',
  'json_extract_scalar', 'json_format', 'json_parse', 'least', 'length', 'ln', 'log10', 'lower', 'lpad', 'ltrim', 'map_agg',
  'max', 'max_by', 'md5', 'min', 'min_by', 'minute', 'mod', 'month', 'now', 'nullif', 'parse_datetime', 'position', 'power',
  'rank', 'regexp_extract', 'regexp_like', 'regexp_replace', 'replace', 'reverse', 'round', 'row_number', 'rpad', 'rtrim',
  'second', 'sha256', 'split', 'split_part', 'sqrt', 'starts_with', 'stddev', 'strpos', 'substr', 'substring', 'sum',
  'to_hex', 'to_unixtime', 'trim', 'try', 'try_cast', 'typeof', 'upper', 'url_decode', 'url_encode', 'url_extract_host',
  'url_extract_parameter', 'url_extract_path', 'variance', 'week', 'with_timezone', 'year', 'dense_rank', 'lag', 'lead',
  'first_value', 'last_value', 'ntile', 'percent_rank', 'cume_dist', 'histogram', 'checksum', 'geometric_mean', 'corr',
  'covar_pop', 'covar_samp', 'stddev_pop', 'stddev_samp', 'var_pop', 'var_samp', 'format', 'chr', 'codepoint', 'levenshtein_distance',
  'hamming_distance', 'word_stem', 'normalize', 'to_utf8', 'from_utf8', 'base64', 'from_base64', 'to_base64', 'crc32',
  'xxhash64', 'is_nan', 'is_finite', 'is_infinite', 'nan', 'infinity', 'random', 'rand', 'sign', 'truncate', 'width_bucket',
  'regexp_extract_all', 'regexp_split', 'regexp_count', 'array_distinct', 'array_max', 'array_min', 'array_position',
  'array_remove', 'array_sort', 'arrays_overlap', 'filter', 'transform', 'reduce', 'zip', 'map_keys', 'map_values',
  'json_array_contains', 'json_array_get', 'json_array_length', 'json_size', 'to_iso8601', 'from_iso8601_date',
  'current_timezone', 'localtimestamp', 'at_timezone', 'human_readable_seconds', 'quarter', 'day_of_year', 'year_of_week',
  'last_day_of_month', 'parse_duration', 'to_milliseconds', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'approx_most_frequent',
];
