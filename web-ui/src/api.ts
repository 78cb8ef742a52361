// The console's own JSON API (/v1/console/*, see docs/console-api.md).

export interface HistoryItem {
  queryId: string;
  user: string;
  source: string;
  catalog: string;
  schema: string;
  sql: string;
  state: string;
  errorName: string | null;
  error: string | null;
  startMillis: number;
  endMillis: number | null;
  elapsedMillis: number | null;
  rows: number;
  bytesScanned: number;
  rowsScanned: number;
}

export interface QueryDetail extends HistoryItem {
  live: boolean;
  plan?: string;
  stats?: Record<string, number>;
  stages: unknown[];
}

export interface SavedQuery {
  id: number;
  name: string;
  description: string;
  sql: string;
  owner: string;
  createdMillis: number;
  updatedMillis: number;
}

export class UnauthenticatedError extends Error {
  constructor(readonly authentication: string) {
    super('Authentication required');
  }
}

let currentUser = '';

/** The user the console acts for, sent as X-Trino-User; with authentication on, the server takes the signed-in user instead. */
export function setUser(user: string) {
  currentUser = user;
}

export function user(): string {
  return currentUser;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'X-Trino-User': currentUser, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch('/v1/console/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const json = await response.json().catch(() => ({}));
  if (response.status === 401) throw new UnauthenticatedError(json.authentication ?? 'password');
  if (!response.ok) throw new Error(json.error ?? `HTTP ${response.status}`);
  return json as T;
}

export const consoleApi = {
  whoami: () => call<{ user: string; authentication: string; defaultCatalog?: string; defaultSchema?: string }>('GET', 'whoami'),
  history: (q: string, state: string, before = 0, limit = 100) =>
    call<{ items: HistoryItem[]; nextBefore: number | null }>(
      'GET',
      `history?${new URLSearchParams({ q, state, before: String(before), limit: String(limit) })}`,
    ),
  query: (id: string) => call<QueryDetail>('GET', `query/${encodeURIComponent(id)}`),
  saved: (q = '') => call<{ items: SavedQuery[] }>('GET', `saved?${new URLSearchParams({ q })}`),
  createSaved: (name: string, description: string, sql: string) => call<SavedQuery>('POST', 'saved', { name, description, sql }),
  updateSaved: (id: number, name: string, description: string, sql: string) => call<SavedQuery>('PUT', `saved/${id}`, { name, description, sql }),
  deleteSaved: (id: number) => call<void>('DELETE', `saved/${id}`),
};
