// The Trino client protocol v1, as the console speaks it: POST /v1/statement, follow nextUri
// without sleeping, DELETE nextUri to cancel.

import type { Column, Row } from './results';

export interface QueryStats {
  state: string;
  queued?: boolean;
  scheduled?: boolean;
  nodes?: number;
  totalSplits?: number;
  queuedSplits?: number;
  runningSplits?: number;
  completedSplits?: number;
  elapsedTimeMillis?: number;
  queuedTimeMillis?: number;
  processedRows?: number;
  processedBytes?: number;
  physicalInputBytes?: number;
  peakMemoryBytes?: number;
  progressPercentage?: number;
}

export interface QueryError {
  message: string;
  errorCode?: number;
  errorName?: string;
  errorType?: string;
  errorLocation?: { lineNumber: number; columnNumber: number };
}

export interface QueryResults {
  id: string;
  infoUri?: string;
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: Row[];
  stats: QueryStats;
  error?: QueryError;
  updateType?: string;
  updateCount?: number;
}

export interface SessionState {
  user: string;
  catalog?: string;
  schema?: string;
}

export interface RunCallbacks {
  onStart?(queryId: string): void;
  onColumns?(columns: Column[]): void;
  onRows?(rows: Row[]): void;
  onStats?(stats: QueryStats, queryId: string): void;
}

export interface RunOutcome {
  queryId: string;
  columns: Column[];
  stats: QueryStats;
  error?: QueryError;
  updateType?: string;
}

/** The console marks its own catalog look-ups so the coordinator keeps them out of the history. */
export const METADATA_SOURCE = 'glaux-console-metadata';
export const CONSOLE_SOURCE = 'glaux-console';

/**
 * Parses a protocol document keeping integers past 2^53 exact: such a number stays a string
 * (JSON.parse's reviver sees the source text in current browsers).
 */
export function parseResults(text: string): QueryResults {
  // a reviver costs a call per value: use it only when a number is long enough to lose digits
  if (!/[\[,:]\s*-?\d{16,}/.test(text)) return JSON.parse(text) as QueryResults;
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source && !/[.eE]/.test(context.source)) {
      return context.source;
    }
    return value;
  } as (key: string, value: unknown) => unknown) as QueryResults;
}

export class StatementRun {
  private nextUri: string | undefined;
  private canceled = false;
  queryId = '';

  constructor(
    private readonly sql: string,
    private readonly session: SessionState,
    private readonly callbacks: RunCallbacks,
    private readonly source: string = CONSOLE_SOURCE,
  ) {}

  /** Runs to the end; resolves with the final state (errors, cancels included), rejects only on transport failures. */
  async run(): Promise<RunOutcome> {
    const headers: Record<string, string> = {
      'X-Trino-User': this.session.user,
      'X-Trino-Source': this.source,
      'Content-Type': 'text/plain; charset=utf-8',
    };
    if (this.session.catalog) headers['X-Trino-Catalog'] = this.session.catalog;
    if (this.session.schema) headers['X-Trino-Schema'] = this.session.schema;
    let response = await request('/v1/statement', { method: 'POST', headers, body: this.sql });
    let columns: Column[] = [];
    let results = await read(response);
    this.queryId = results.id;
    this.callbacks.onStart?.(results.id);
    for (;;) {
      this.applySessionHeaders(response);
      if (results.columns && columns.length === 0) {
        columns = results.columns.map((column) => ({ name: column.name, type: column.type }));
        this.callbacks.onColumns?.(columns);
      }
      if (results.data && results.data.length > 0) this.callbacks.onRows?.(results.data);
      this.callbacks.onStats?.(results.stats, results.id);
      this.nextUri = results.nextUri;
      if (!results.nextUri) {
        return { queryId: results.id, columns, stats: results.stats, error: results.error, updateType: results.updateType };
      }
      // only the path is followed, on the console's own origin: a proxy in front of the
      // coordinator may rewrite the host, and credentials never go to another origin
      const next = new URL(results.nextUri, location.href);
      // after a cancel, follow nextUri to the server's final answer (USER_CANCELED); if the
      // server no longer knows the query, the cancel is the answer
      try {
        response = await request(next.pathname + next.search, { method: 'GET', headers: { 'X-Trino-User': this.session.user } });
        results = await read(response);
      } catch (error) {
        if (!this.canceled) throw error;
        return { queryId: results.id, columns, stats: { ...results.stats, state: 'FAILED' }, error: { message: 'Query was canceled', errorName: 'USER_CANCELED' } };
      }
    }
  }

  /** Cancels the query (DELETE nextUri); the run then ends with USER_CANCELED. */
  async cancel(): Promise<void> {
    this.canceled = true;
    const uri = this.nextUri;
    if (uri) {
      const next = new URL(uri, location.href);
      await fetch(next.pathname + next.search, { method: 'DELETE', headers: { 'X-Trino-User': this.session.user }, keepalive: true });
    }
  }

  private applySessionHeaders(response: Response) {
    const catalog = response.headers.get('X-Trino-Set-Catalog');
    const schema = response.headers.get('X-Trino-Set-Schema');
    if (catalog) this.session.catalog = catalog;
    if (schema) this.session.schema = schema;
  }
}

/** fetch with the protocol's retries: 502, 503 and 504 are tried again after a short pause. */
async function request(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init);
    if ((response.status === 502 || response.status === 503 || response.status === 504) && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 50));
      continue;
    }
    return response;
  }
}

async function read(response: Response): Promise<QueryResults> {
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error ?? text;
    } catch {
      // not JSON
    }
    throw new Error(`HTTP ${response.status}: ${message}`);
  }
  return parseResults(text);
}

/** Runs a metadata statement and returns all its rows (for the catalog tree and completion). */
export async function queryRows(sql: string, session: SessionState): Promise<{ columns: Column[]; rows: Row[] }> {
  const rows: Row[] = [];
  const run = new StatementRun(sql, { ...session }, { onRows: (chunk) => rows.push(...chunk) }, METADATA_SOURCE);
  const outcome = await run.run();
  if (outcome.error) throw new Error(`${outcome.error.errorName}: ${outcome.error.message}`);
  return { columns: outcome.columns, rows };
}
