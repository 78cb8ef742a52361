// The console's shell: views (editor, history, saved queries, query detail, login), the run loop
// that drives the Trino protocol, and the results panel (grid, chart, downloads).

import './style.css';
import { consoleApi, setUser, UnauthenticatedError, user, type HistoryItem, type SavedQuery } from './api';
import { CatalogBrowser } from './catalog';
import type { ChartKind, ChartSpec } from './chart';
import { announce, compact, download, h } from './dom';
import { SqlEditor, type RunTarget } from './editor';
import { ResultGrid, copyText } from './grid';
import { StatementRun, type QueryError, type QueryStats, type SessionState } from './protocol';
import { formatBytes, formatCount, formatDuration, isNumeric, isTemporal, suggestChart, toCsv, toJson, type Column, type Row } from './results';
import { cleanStatement, errorOffset, formatSql, splitStatements, tokenEnd } from './sql';
import { loadTabs, newTabId, saveTabs, titleFor, type EditorTab, type TabsState } from './tabs';

/** Rows kept in the browser per result; a bigger result is cut there and says so. */
const MAX_ROWS = 100_000;
const USER_KEY = 'glaux.console.user';

interface RunState {
  run?: StatementRun;
  queryId?: string;
  sql: string;
  from: number;
  columns: Column[];
  rows: Row[];
  stats?: QueryStats;
  error?: QueryError;
  transportError?: string;
  done: boolean;
  truncated: boolean;
  startedAt: number;
  updateType?: string;
}

const main = document.getElementById('main')!;
const userInput = document.getElementById('user') as HTMLInputElement;
const signOut = document.getElementById('sign-out') as HTMLButtonElement;
signOut.addEventListener('click', async () => {
  await fetch('/v1/console/logout', { method: 'POST' });
  location.assign('/ui/login');
});
const state: TabsState = loadTabs(localStorage);
const runs = new Map<string, RunState>();
const sessions = new Map<string, SessionState>();
let defaults = { catalog: 'hive', schema: '' };

// ---------------------------------------------------------------- editor view

const grid = new ResultGrid();
const tabBar = h('div.tabs', { role: 'tablist', 'aria-label': 'Query tabs' });
const editorHost = h('div.editor');
const progress = h('div.progress', { role: 'status' });
const errorBox = h('div.error-box', { role: 'alert', hidden: true });
const resultInfo = h('span.result-info');
const filterInput = h('input.filter', { type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows' }) as HTMLInputElement;
const chartHost = h('div.chart-host');
const chartControls = h('div.chart-controls');
const chartPanel = h('div.chart-panel', { hidden: true }, chartControls, chartHost);
const gridPanel = h('div.grid-panel', grid.element);
const viewButtons = {
  grid: h('button.toggle.on', { 'aria-pressed': 'true', onclick: () => showResultView('grid') }, 'Results'),
  chart: h('button.toggle', { 'aria-pressed': 'false', onclick: () => showResultView('chart') }, 'Chart'),
};
const runButton = h('button.primary', { title: 'Run the statement under the cursor or the selection (Ctrl/Cmd+Enter)', onclick: () => runTarget(editor.runTarget()) }, '▶ Run');
const cancelButton = h('button.danger', { disabled: true, title: 'Cancel the running query (Ctrl/Cmd+.)', onclick: () => void cancelRun() }, '■ Cancel');

const editor = new SqlEditor(editorHost, {
  run: (target) => runTarget(target),
  runAll: () => runTarget({ text: editor.doc(), from: 0 }),
  cancel: () => void cancelRun(),
  save: () => openSaveDialog(),
  changed: (doc) => {
    const tab = activeTab();
    tab.sql = doc;
    persistTabs();
  },
});

const catalog = new CatalogBrowser(() => session(), {
  insert: (text) => editor.insert(text),
  preview: (name) => runInNewTab(`SELECT * FROM ${name} LIMIT 100`),
  showDdl: (name) => runInNewTab(`SHOW CREATE TABLE ${name}`),
});

const editorView = h(
  'div.editor-view',
  catalog.element,
  h(
    'section.workspace',
    { 'aria-label': 'Query editor' },
    tabBar,
    editorHost,
    h(
      'div.toolbar',
      runButton,
      cancelButton,
      h('button', { title: 'Format the SQL', onclick: () => formatEditor() }, 'Format'),
      h('button', { title: 'Save this query (Ctrl/Cmd+S)', onclick: () => openSaveDialog() }, 'Save'),
      h('button', { title: 'Show the plan (EXPLAIN)', onclick: () => explain() }, 'Explain'),
      h('span.spacer'),
      h('span.hint', 'Ctrl/Cmd+Enter runs · Shift+Ctrl/Cmd+Enter runs all'),
    ),
    progress,
    errorBox,
    h(
      'section.results',
      { 'aria-label': 'Results' },
      h(
        'div.toolbar',
        viewButtons.grid,
        viewButtons.chart,
        filterInput,
        h('button', { title: 'Copy the selected cell (Ctrl/Cmd+C in the grid)', onclick: () => copySelection() }, 'Copy cell'),
        h('button', { title: 'Copy the selected rows (all shown rows when none is selected) with a header', onclick: () => void copyText(grid.rowsText(true)) }, 'Copy rows'),
        h('button', { title: 'Download the shown rows as CSV', onclick: () => downloadResult('csv') }, 'CSV'),
        h('button', { title: 'Download the shown rows as JSON', onclick: () => downloadResult('json') }, 'JSON'),
        h('span.spacer'),
        resultInfo,
      ),
      gridPanel,
      chartPanel,
    ),
  ),
);

filterInput.addEventListener('input', () => grid.setFilter(filterInput.value));
grid.onViewChange = (shown, total) => {
  const run = runs.get(state.active);
  if (!run) {
    resultInfo.textContent = '';
    return;
  }
  const truncated = run.truncated ? ` (cut at ${formatCount(MAX_ROWS)})` : '';
  resultInfo.textContent = shown === total ? `${formatCount(total)} rows${truncated}` : `${formatCount(shown)} of ${formatCount(total)} rows${truncated}`;
};

function activeTab(): EditorTab {
  return state.tabs.find((tab) => tab.id === state.active) ?? state.tabs[0];
}

function session(): SessionState {
  let tabSession = sessions.get(state.active);
  if (!tabSession) {
    tabSession = { user: user(), catalog: defaults.catalog, schema: defaults.schema || undefined };
    sessions.set(state.active, tabSession);
  }
  tabSession.user = user();
  return tabSession;
}

let persistTimer = 0;
function persistTabs() {
  clearTimeout(persistTimer);
  persistTimer = window.setTimeout(() => {
    saveTabs(localStorage, state);
    renderTabs();
  }, 200);
}

function renderTabs() {
  tabBar.replaceChildren(
    ...state.tabs.map((tab, position) =>
      h(
        'div.tab',
        { class: tab.id === state.active ? 'active' : '' },
        h('button.tab-title', { role: 'tab', 'aria-selected': String(tab.id === state.active), title: tab.sql.slice(0, 400), onclick: () => switchTab(tab.id) },
          runs.get(tab.id)?.done === false ? '◌ ' : '', titleFor(tab, position)),
        h('button.tab-close', { 'aria-label': `Close tab ${titleFor(tab, position)}`, title: 'Close tab', onclick: () => closeTab(tab.id) }, '×'),
      ),
    ),
    h('button.tab-new', { title: 'New tab', 'aria-label': 'New tab', onclick: () => newTab('') }, '+'),
  );
}

function switchTab(id: string) {
  state.active = id;
  const tab = activeTab();
  editor.load(tab.sql);
  saveTabs(localStorage, state);
  renderTabs();
  showRun(runs.get(id));
  editor.focus();
}

function newTab(sql: string, saved?: SavedQuery): EditorTab {
  const tab: EditorTab = { id: newTabId(), title: '', sql, savedId: saved?.id, savedName: saved?.name, savedDescription: saved?.description };
  state.tabs.push(tab);
  switchTab(tab.id);
  return tab;
}

function closeTab(id: string) {
  const run = runs.get(id);
  if (run && !run.done) void run.run?.cancel();
  runs.delete(id);
  sessions.delete(id);
  const position = state.tabs.findIndex((tab) => tab.id === id);
  state.tabs.splice(position, 1);
  if (state.tabs.length === 0) state.tabs.push({ id: newTabId(), title: '', sql: '' });
  if (state.active === id) state.active = state.tabs[Math.max(0, position - 1)].id;
  switchTab(state.active);
}

function runInNewTab(sql: string) {
  navigate('/ui/');
  newTab(sql);
  runTarget({ text: sql, from: 0 });
}

function formatEditor() {
  const doc = editor.doc();
  const statements = splitStatements(doc);
  if (statements.length === 0) return;
  editor.replaceAll(statements.map((statement) => formatSql(statement.text)).join(';\n\n') + (statements.length > 1 ? ';\n' : ''));
}

function explain() {
  const target = editor.runTarget();
  if (!target.text) return;
  runTarget({ text: 'EXPLAIN ' + cleanStatement(target.text), from: target.from - 'EXPLAIN '.length });
}

// ---------------------------------------------------------------- running a statement

function runTarget(target: RunTarget) {
  const sql = cleanStatement(target.text);
  if (!sql) return;
  const tabId = state.active;
  const previous = runs.get(tabId);
  if (previous && !previous.done) void previous.run?.cancel();
  editor.clearError();
  const current: RunState = { sql, from: target.from, columns: [], rows: [], done: false, truncated: false, startedAt: performance.now() };
  runs.set(tabId, current);
  const run = new StatementRun(sql, session(), {
    onStart: (queryId) => {
      current.queryId = queryId;
      if (state.active === tabId) paintProgress(current);
    },
    onColumns: (columns) => {
      current.columns = columns;
      if (state.active === tabId) {
        grid.reset(columns);
        renderChartControls(current);
      }
    },
    onRows: (rows) => {
      let chunk = rows;
      if (current.rows.length + rows.length > MAX_ROWS) {
        chunk = rows.slice(0, MAX_ROWS - current.rows.length);
        current.truncated = true;
        void run.cancel();
      }
      for (const row of chunk) current.rows.push(row);
      if (state.active === tabId) grid.append(chunk);
    },
    onStats: (stats) => {
      current.stats = stats;
      if (state.active === tabId) scheduleProgress(current);
    },
  });
  current.run = run;
  cancelButton.disabled = false;
  runButton.disabled = true;
  showRun(current);
  renderTabs();
  run
    .run()
    .then((outcome) => {
      current.stats = outcome.stats;
      current.updateType = outcome.updateType;
      if (outcome.error && !(current.truncated && outcome.error.errorName === 'USER_CANCELED')) current.error = outcome.error;
    })
    .catch((error: Error) => {
      current.transportError = error.message;
    })
    .finally(() => {
      current.done = true;
      if (state.active === tabId) {
        showRun(current);
        if (current.error?.errorLocation) markError(current);
      }
      renderTabs();
      announce(current.error ? `Query failed: ${current.error.errorName}` : `Query finished: ${current.rows.length} rows`);
    });
}

async function cancelRun() {
  const run = runs.get(state.active);
  if (run && !run.done) await run.run?.cancel();
}

function markError(run: RunState) {
  const location = run.error?.errorLocation;
  if (!location) return;
  const doc = editor.doc();
  // the statement may have been run from another tab's text; mark only when it is still there
  if (doc.slice(run.from, run.from + run.sql.length) !== run.sql && !run.sql.startsWith('EXPLAIN ')) return;
  const from = errorOffset(doc, Math.max(0, run.from), location.lineNumber, location.columnNumber);
  editor.markError(from, tokenEnd(doc, from), `${run.error!.errorName}: ${run.error!.message}`);
}

let progressFrame = 0;
function scheduleProgress(run: RunState) {
  if (progressFrame) return;
  progressFrame = requestAnimationFrame(() => {
    progressFrame = 0;
    paintProgress(run);
  });
}

function paintProgress(run: RunState) {
  const stats = run.stats;
  const stateName = run.transportError ? 'FAILED' : run.truncated && run.done ? 'FINISHED' : stats?.state ?? 'QUEUED';
  const total = stats?.totalSplits ?? 0;
  const completed = stats?.completedSplits ?? 0;
  const running = stats?.runningSplits ?? 0;
  const queued = stats?.queuedSplits ?? Math.max(0, total - completed - running);
  const finished = run.done && !run.error && !run.transportError;
  let percent = total > 0 ? Math.min(100, (completed * 100) / total) : 0;
  if (!run.done) percent = Math.min(percent, 99);
  if (finished) percent = 100;
  const elapsed = stats?.elapsedTimeMillis ?? performance.now() - run.startedAt;
  const bar = h('div.bar', {
    role: 'progressbar',
    'aria-label': 'Query progress',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    ...(total > 0 || run.done ? { 'aria-valuenow': String(Math.round(percent)) } : {}),
  }, h('div.fill', { class: total === 0 && !run.done ? 'indeterminate' : '', style: `width: ${total === 0 && !run.done ? 30 : percent}%` }));
  progress.replaceChildren(...compact(
    h('span.badge.state', { class: 'state-' + stateName.toLowerCase(), 'data-state': stateName }, stateName),
    bar,
    h('span.stat', { title: 'Elapsed time' }, formatDuration(elapsed)),
    h('span.stat', { title: 'Splits: done / total (queued, running)' }, `splits ${completed}/${total}` + (run.done ? '' : ` (${queued} queued, ${running} running)`)),
    h('span.stat', { title: 'Rows and bytes scanned' }, `${formatCount(stats?.processedRows ?? 0)} rows · ${formatBytes(stats?.physicalInputBytes ?? stats?.processedBytes ?? 0)} scanned`),
    h('span.stat', { title: 'Result rows received' }, `${formatCount(run.rows.length)} result rows`),
    stats?.nodes ? h('span.stat', { title: 'Worker nodes' }, `${stats.nodes} nodes`) : null,
    run.queryId ? h('a.stat', { href: `/ui/queries/${run.queryId}`, onclick: (event: Event) => (event.preventDefault(), navigate(`/ui/queries/${run.queryId}`)) }, run.queryId) : null,
  ));
}

function showRun(run: RunState | undefined) {
  cancelButton.disabled = !run || run.done;
  runButton.disabled = !!run && !run.done;
  filterInput.value = '';
  if (!run) {
    progress.replaceChildren(h('span.muted', 'Write a statement and press Ctrl/Cmd+Enter.'));
    errorBox.hidden = true;
    grid.reset([]);
    resultInfo.textContent = '';
    chartControls.replaceChildren();
    chartHost.replaceChildren();
    return;
  }
  paintProgress(run);
  if (run.error || run.transportError) {
    errorBox.hidden = false;
    const location = run.error?.errorLocation;
    errorBox.replaceChildren(...compact(
      h('strong.error-name', run.error?.errorName ?? 'REQUEST_FAILED'),
      ': ',
      h('span.error-message', run.error?.message ?? run.transportError ?? ''),
      location ? h('span.error-location', ` (line ${location.lineNumber}:${location.columnNumber})`) : null,
    ));
  } else {
    errorBox.hidden = true;
  }
  if (grid.allColumns() !== run.columns || grid.allRows().length !== run.rows.length) {
    grid.reset(run.columns);
    if (run.rows.length) grid.append(run.rows.slice());
  }
  if (run.done && run.columns.length === 0 && run.updateType && !run.error) {
    resultInfo.textContent = run.updateType;
  }
  renderChartControls(run);
}

function copySelection() {
  const text = grid.selectionText();
  if (text !== undefined) void copyText(text);
}

function downloadResult(kind: 'csv' | 'json') {
  const run = runs.get(state.active);
  if (!run || run.columns.length === 0) return;
  const name = `glaux-${run.queryId ?? 'result'}.${kind}`;
  if (kind === 'csv') download(name, 'text/csv;charset=utf-8', toCsv(run.columns, grid.allRows(), grid.view()));
  else download(name, 'application/json', toJson(run.columns, grid.allRows(), grid.view()));
}

// ---------------------------------------------------------------- chart

let chartSpec: ChartSpec | undefined;
let resultView: 'grid' | 'chart' = 'grid';

function showResultView(view: 'grid' | 'chart') {
  resultView = view;
  gridPanel.hidden = view !== 'grid';
  chartPanel.hidden = view !== 'chart';
  viewButtons.grid.classList.toggle('on', view === 'grid');
  viewButtons.chart.classList.toggle('on', view === 'chart');
  viewButtons.grid.setAttribute('aria-pressed', String(view === 'grid'));
  viewButtons.chart.setAttribute('aria-pressed', String(view === 'chart'));
  if (view === 'chart') void drawCurrentChart();
}

function renderChartControls(run: RunState) {
  const columns = run.columns;
  if (columns.length === 0) {
    chartControls.replaceChildren(h('span.muted', 'Run a query to chart its result.'));
    return;
  }
  const suggested = suggestChart(columns, run.rows.length);
  chartSpec = suggested ? { kind: suggested.kind, x: suggested.x, y: suggested.y.slice(0, 4) } : { kind: 'bar', x: 0, y: [] };
  const kind = h('select', { 'aria-label': 'Chart type', onchange: (event: Event) => ((chartSpec!.kind = (event.target as HTMLSelectElement).value as ChartKind), void drawCurrentChart()) },
    ...(['bar', 'line', 'area'] as const).map((value) => h('option', { value, selected: chartSpec!.kind === value }, value)));
  const x = h('select', { 'aria-label': 'X axis column', onchange: (event: Event) => ((chartSpec!.x = Number((event.target as HTMLSelectElement).value)), void drawCurrentChart()) },
    ...columns.map((column, i) => h('option', { value: String(i), selected: chartSpec!.x === i }, `${column.name}${isTemporal(column.type) ? ' (time)' : ''}`)));
  const ys = columns
    .map((column, i) => ({ column, i }))
    .filter(({ column }) => isNumeric(column.type))
    .map(({ column, i }) =>
      h('label.check',
        h('input', { type: 'checkbox', checked: chartSpec!.y.includes(i), onchange: (event: Event) => {
          const checked = (event.target as HTMLInputElement).checked;
          chartSpec!.y = checked ? [...chartSpec!.y, i].sort((a, b) => a - b) : chartSpec!.y.filter((c) => c !== i);
          void drawCurrentChart();
        } }),
        column.name));
  chartControls.replaceChildren(h('label', 'Type ', kind), h('label', 'X ', x), h('span', 'Y: '), ...ys);
  if (resultView === 'chart') void drawCurrentChart();
}

async function drawCurrentChart() {
  const run = runs.get(state.active);
  if (!run || !chartSpec || run.columns.length === 0) return;
  if (chartSpec.y.length === 0) {
    chartHost.replaceChildren(h('p.muted', 'Choose one or more numeric columns to chart.'));
    return;
  }
  const { drawChart } = await import('./chart');
  drawChart(chartHost, run.columns, run.rows, chartSpec);
}

// ---------------------------------------------------------------- saving

function openSaveDialog() {
  const tab = activeTab();
  const name = h('input', { name: 'name', required: true, value: tab.savedName ?? '', 'aria-label': 'Name' }) as HTMLInputElement;
  const description = h('textarea', { name: 'description', rows: 3, 'aria-label': 'Description' }) as HTMLTextAreaElement;
  description.value = tab.savedDescription ?? '';
  const status = h('p.muted');
  const dialog = h('dialog.save-dialog', { 'aria-label': 'Save query' }) as HTMLDialogElement;
  const asNew = h('label.check', h('input', { type: 'checkbox', name: 'asNew' }), 'Save as a new query') as HTMLLabelElement;
  const form = h('form', { method: 'dialog' },
    h('h2', tab.savedId ? 'Update saved query' : 'Save query'),
    h('label', 'Name', name),
    h('label', 'Description', description),
    tab.savedId ? asNew : null,
    status,
    h('div.buttons', h('button.primary', { type: 'submit' }, 'Save'), h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) return;
    try {
      const sql = editor.doc();
      const createNew = !tab.savedId || (asNew.querySelector('input') as HTMLInputElement).checked;
      const saved = createNew
        ? await consoleApi.createSaved(name.value.trim(), description.value, sql)
        : await consoleApi.updateSaved(tab.savedId!, name.value.trim(), description.value, sql);
      tab.savedId = saved.id;
      tab.savedName = saved.name;
      tab.savedDescription = saved.description;
      persistTabs();
      announce(`Saved "${saved.name}"`);
      dialog.close();
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  });
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
}

// ---------------------------------------------------------------- history and saved views

function historyView(): HTMLElement {
  const search = h('input', { type: 'search', placeholder: 'Search SQL or query id', 'aria-label': 'Search history' }) as HTMLInputElement;
  const stateFilter = h('select', { 'aria-label': 'State' }, h('option', { value: '' }, 'any state'), h('option', 'FINISHED'), h('option', 'FAILED'), h('option', 'RUNNING')) as HTMLSelectElement;
  const body = h('tbody');
  const table = h('table.list', h('thead', h('tr', ...['Started', 'State', 'SQL', 'Elapsed', 'Rows', 'Scanned', ''].map((text) => h('th', text)))), body);
  const more = h('button', { hidden: true }, 'Older…');
  const status = h('p.muted');
  let before = 0;
  const load = async (append: boolean) => {
    if (!append) before = 0;
    status.textContent = 'Loading…';
    table.setAttribute('aria-busy', 'true');
    const query = search.value;
    try {
      const page = await consoleApi.history(query, stateFilter.value, before);
      if (query !== search.value) return; // a newer search is on its way
      if (!append) body.replaceChildren();
      body.append(...page.items.map(historyRow));
      before = page.nextBefore ?? 0;
      more.hidden = page.nextBefore === null;
      status.textContent = body.children.length === 0 ? (query ? 'No query matches.' : 'No queries yet.') : '';
      table.dataset.query = query;
      table.setAttribute('aria-busy', 'false');
    } catch (error) {
      handleApiError(error, status);
    }
  };
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void load(false), 250);
  });
  stateFilter.addEventListener('change', () => void load(false));
  more.addEventListener('click', () => void load(true));
  void load(false);
  return h('section.page', { 'aria-label': 'Query history' },
    h('div.panel-head', h('h1', 'Query history'), search, stateFilter, h('button', { onclick: () => void load(false) }, 'Refresh')),
    table, status, more);
}

function historyRow(item: HistoryItem): HTMLElement {
  return h('tr', { dataset: { queryId: item.queryId } },
    h('td.nowrap', new Date(item.startMillis).toLocaleString()),
    h('td', h('span.badge.state', { class: 'state-' + item.state.toLowerCase() }, item.state), item.errorName ? h('div.error-name', { title: item.error ?? '' }, item.errorName) : null),
    h('td.sql', h('code', item.sql.length > 300 ? item.sql.slice(0, 300) + '…' : item.sql)),
    h('td.num', item.elapsedMillis === null ? '' : formatDuration(item.elapsedMillis)),
    h('td.num', formatCount(item.rows)),
    h('td.num', formatBytes(item.bytesScanned)),
    h('td.nowrap',
      h('button.small', { onclick: () => runInNewTab(item.sql), title: 'Run again in a new tab' }, 'Re-run'),
      h('button.small', { onclick: () => (navigate('/ui/'), newTab(item.sql)), title: 'Open in a new tab' }, 'Open'),
      h('button.small', { onclick: () => navigate(`/ui/queries/${item.queryId}`) }, 'Details')));
}

function savedView(): HTMLElement {
  const search = h('input', { type: 'search', placeholder: 'Search saved queries', 'aria-label': 'Search saved queries' }) as HTMLInputElement;
  const list = h('div.saved-list');
  const status = h('p.muted');
  const load = async () => {
    try {
      const { items } = await consoleApi.saved(search.value);
      list.replaceChildren(...items.map((saved) =>
        h('article.saved', { dataset: { savedId: String(saved.id) } },
          h('h3', saved.name),
          saved.description ? h('p', saved.description) : null,
          h('pre', saved.sql.length > 600 ? saved.sql.slice(0, 600) + '…' : saved.sql),
          h('div.buttons',
            h('button.small', { onclick: () => (navigate('/ui/'), newTab(saved.sql, saved)) }, 'Open'),
            h('button.small', { onclick: () => (navigate('/ui/'), newTab(saved.sql, saved), runTarget({ text: saved.sql, from: 0 })) }, 'Run'),
            h('button.small.danger', { onclick: async () => {
              if (confirm(`Delete the saved query "${saved.name}"?`)) {
                await consoleApi.deleteSaved(saved.id);
                void load();
              }
            } }, 'Delete'),
            h('span.muted', `updated ${new Date(saved.updatedMillis).toLocaleString()}`)))));
      status.textContent = items.length === 0 ? 'No saved queries. Save one from the editor (Ctrl/Cmd+S).' : '';
    } catch (error) {
      handleApiError(error, status);
    }
  };
  search.addEventListener('input', () => void load());
  void load();
  return h('section.page', { 'aria-label': 'Saved queries' }, h('div.panel-head', h('h1', 'Saved queries'), search), status, list);
}

function detailView(queryId: string): HTMLElement {
  const body = h('div');
  const page = h('section.page', { 'aria-label': 'Query detail' }, h('div.panel-head', h('h1', 'Query ', h('code', queryId))), body);
  let timer = 0;
  const load = async () => {
    try {
      const detail = await consoleApi.query(queryId);
      const stats = detail.stats ?? {};
      body.replaceChildren(...compact(
        h('dl.facts',
          ...([
            ['State', detail.state],
            ['User', detail.user],
            ['Source', detail.source || '—'],
            ['Session', `${detail.catalog}.${detail.schema}`],
            ['Started', new Date(detail.startMillis).toLocaleString()],
            ['Ended', detail.endMillis ? new Date(detail.endMillis).toLocaleString() : '—'],
            ['Elapsed', detail.elapsedMillis !== null ? formatDuration(detail.elapsedMillis) : stats.elapsedMillis ? formatDuration(stats.elapsedMillis) : '—'],
            ['Result rows', formatCount(detail.rows)],
            ['Rows scanned', formatCount(detail.rowsScanned)],
            ['Bytes scanned', formatBytes(detail.bytesScanned)],
            ...(detail.stats ? [['Splits', `${stats.completedSplits}/${stats.totalSplits} done`], ['Nodes', String(stats.nodes)]] : []),
          ] as [string, string][]).map(([term, value]) => h('div', h('dt', term), h('dd', value)))),
        detail.errorName ? h('div.error-box', h('strong.error-name', detail.errorName), ': ', detail.error ?? '') : null,
        h('h2', 'SQL'),
        h('pre.sql', detail.sql),
        h('div.buttons', h('button', { onclick: () => runInNewTab(detail.sql) }, 'Re-run'), h('button', { onclick: () => (navigate('/ui/'), newTab(detail.sql)) }, 'Open in editor')),
        h('h2', 'Plan'),
        detail.plan ? h('pre.plan', detail.plan) : h('p.muted', detail.live ? 'No plan (not a query, or not planned yet).' : 'The plan is kept while the coordinator remembers the query; run it again to see it.'),
        h('h2', 'Stages'),
        detail.stages.length
          ? stagesView(detail.stages)
          : h('p.muted', detail.live ? 'Per-stage statistics appear when the query has finished.' : 'Per-stage statistics are kept while the coordinator remembers the query.'),
      ));
      if (detail.live && detail.state !== 'FINISHED' && detail.state !== 'FAILED' && page.isConnected) timer = window.setTimeout(load, 1000);
    } catch (error) {
      handleApiError(error, body);
    }
  };
  void load();
  page.addEventListener('disconnect', () => clearTimeout(timer));
  return page;
}

/**
 * Per-stage statistics as the engine reports them: each stage's scalar fields as facts, and its
 * operators (or tasks) as a table with a column per field. Shape-agnostic, so new counters show up
 * without a console release.
 */
function stagesView(stages: unknown[]): HTMLElement {
  const scalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
  const show = (key: string, value: unknown) =>
    typeof value === 'number' && /bytes/i.test(key) ? formatBytes(value)
      : typeof value === 'number' && /(millis|time)/i.test(key) ? formatDuration(value)
      : typeof value === 'number' ? formatCount(value) : String(value ?? '');
  const table = (rows: Record<string, unknown>[]) => {
    const keys = Array.from(new Set(rows.flatMap((row) => Object.keys(row).filter((key) => scalar(row[key])))));
    return h('table.list', h('thead', h('tr', ...keys.map((key) => h('th', key)))),
      h('tbody', ...rows.map((row) => h('tr', ...keys.map((key) => h('td', { class: typeof row[key] === 'number' ? 'num' : '' }, show(key, row[key])))))));
  };
  return h('div.stages', ...stages.map((stage, i) => {
    const fields = (stage ?? {}) as Record<string, unknown>;
    const nested = Object.entries(fields).filter(([, value]) => Array.isArray(value) && value.every((item) => item && typeof item === 'object'));
    return h('section.stage',
      h('h3', `Stage ${fields.stageId ?? i}`),
      h('dl.facts', ...Object.entries(fields).filter(([, value]) => scalar(value)).map(([key, value]) => h('div', h('dt', key), h('dd', show(key, value))))),
      ...nested.map(([key, value]) => h('div', h('h4', key), table(value as Record<string, unknown>[]))));
  }));
}

function loginView(method: string): HTMLElement {
  const name = h('input', { name: 'user', autocomplete: 'username', required: true, value: user(), 'aria-label': 'User' }) as HTMLInputElement;
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', 'aria-label': 'Password' }) as HTMLInputElement;
  const status = h('p.error', { role: 'alert' });
  const form = h('form.login',
    h('h1', 'Sign in to Glaux'),
    h('label', 'User', name),
    method === 'none'
      ? h('p.muted', 'This coordinator has no authentication: the name is only used to keep your history apart.')
      : method === 'token'
        ? h('p.muted', 'This coordinator accepts JWT access tokens only, which the console cannot send: use the JDBC driver or the CLI with --access-token.')
        : h('label', 'Password', password),
    status,
    h('button.primary', { type: 'submit', disabled: method === 'token' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const back = new URLSearchParams(location.search).get('next');
    const target = back && back.startsWith('/ui/') ? back : '/ui/';
    if (method === 'none') {
      changeUser(name.value.trim());
      navigate(target);
      return;
    }
    const response = await fetch('/v1/console/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: name.value.trim(), password: password.value }) });
    if (!response.ok) {
      status.textContent = response.status === 401 ? 'Wrong user or password.' : `Sign-in failed (HTTP ${response.status}).`;
      return;
    }
    const signedIn = (await response.json()) as { user: string };
    changeUser(signedIn.user);
    // the session cookie is set: start again, so that the catalog and completion load as this user
    location.assign(target);
  });
  return h('section.page.login-page', form);
}

function handleApiError(error: unknown, target: HTMLElement) {
  if (error instanceof UnauthenticatedError) {
    navigate(`/ui/login?next=${encodeURIComponent(location.pathname)}`);
    return;
  }
  target.textContent = (error as Error).message;
}

// ---------------------------------------------------------------- routing

function navigate(path: string) {
  if (location.pathname + location.search !== path) history.pushState(null, '', path);
  route();
}

function route() {
  const path = location.pathname.replace(/\/+$/, '');
  document.querySelectorAll<HTMLAnchorElement>('nav a').forEach((link) => {
    const current = link.getAttribute('href')!.replace(/\/+$/, '') === path || (link.dataset.view === 'editor' && (path === '/ui' || path === '/ui/editor'));
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  let view: HTMLElement;
  if (path === '/ui/history') view = historyView();
  else if (path === '/ui/saved') view = savedView();
  else if (path.startsWith('/ui/queries/')) view = detailView(decodeURIComponent(path.slice('/ui/queries/'.length)));
  else if (path === '/ui/login') view = loginView(authentication);
  else view = editorView;
  if (main.firstChild !== view) main.replaceChildren(view);
  document.title = view === editorView ? 'Glaux console' : `${(view.getAttribute('aria-label') ?? 'Glaux')} · Glaux`;
  if (view === editorView) editor.view.requestMeasure();
}

document.querySelectorAll<HTMLAnchorElement>('nav a').forEach((link) =>
  link.addEventListener('click', (event) => {
    event.preventDefault();
    navigate(link.getAttribute('href')!);
  }),
);
window.addEventListener('popstate', route);

function changeUser(name: string) {
  const value = name || 'anonymous';
  setUser(value);
  userInput.value = value;
  localStorage.setItem(USER_KEY, value);
  sessions.clear();
}

// ---------------------------------------------------------------- start

let authentication = 'none';

async function start() {
  changeUser(localStorage.getItem(USER_KEY) ?? 'console');
  userInput.addEventListener('change', () => {
    changeUser(userInput.value.trim());
    route();
  });
  editor.load(activeTab().sql);
  renderTabs();
  showRun(undefined);
  route();
  try {
    const me = await consoleApi.whoami();
    authentication = me.authentication;
    defaults = { catalog: me.defaultCatalog ?? 'hive', schema: me.defaultSchema ?? '' };
    if (me.user !== user() && me.authentication !== 'none') changeUser(me.user);
    if (me.authentication !== 'none') {
      // signed in: the name comes from the sign-in, and can only change by signing out
      userInput.readOnly = true;
      signOut.hidden = false;
    }
  } catch (error) {
    if (error instanceof UnauthenticatedError) {
      authentication = error.authentication;
      navigate(`/ui/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
  }
  catalog.catalog = defaults.catalog;
  void catalog.load();
  catalog
    .completionSchema()
    .then((schema) => editor.setSchema(schema, defaults.schema || undefined))
    .catch(() => {
      // completion of names is a convenience: keywords and functions still complete
    });
}

void start();
