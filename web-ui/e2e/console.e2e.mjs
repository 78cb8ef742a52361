// Browser tests of the console: playwright-core drives Debian's Chromium against a running
// coordinator. One scenario per run:
//   node e2e/console.e2e.mjs <baseUrl> <scenario> <artifactDir> [argument]
// It prints one line "RESULT <json>" for the calling JUnit test to check, saves a screenshot of
// each step under <artifactDir>, and exits non-zero when a step fails.

import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, scenario, artifactDir, argument] = process.argv.slice(2);
if (!baseUrl || !scenario || !artifactDir) {
  console.error('usage: console.e2e.mjs <baseUrl> <scenario> <artifactDir> [argument]');
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const USER = process.env.CONSOLE_USER ?? 'e2e';
mkdirSync(artifactDir, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), 'glaux-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  ignoreHTTPSErrors: true,
  acceptsDownloads: true,
  viewport: { width: 1400, height: 900 },
  permissions: ['clipboard-read', 'clipboard-write'],
});
context.setDefaultTimeout(30_000);
const page = context.pages()[0] ?? (await context.newPage());
const consoleErrors = [];
page.on('pageerror', (error) => consoleErrors.push(String(error)));
page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
let step = 0;

async function shot(name) {
  step++;
  await page.screenshot({ path: join(artifactDir, `${scenario}-${String(step).padStart(2, '0')}-${name}.png`) });
}

async function open(path = '/ui/') {
  await page.addInitScript((user) => localStorage.setItem('glaux.console.user', user), USER);
  await page.goto(baseUrl + path, { waitUntil: 'load' });
  await page.locator(path === '/ui/' ? '.cm-content' : 'main > section').waitFor();
}

async function typeSql(sql) {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // insertText: typing character by character would trigger completion and auto-closed brackets
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Escape'); // close the completion list that typing opened
}

async function runAndWait(state = 'FINISHED') {
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.locator(`.progress .badge[data-state="${state}"]`).waitFor({ timeout: 60_000 });
}

async function gridHeader() {
  return page.locator('.grid-header .cell.head .col-name').allInnerTexts();
}

async function gridRows(limit = 1000) {
  return page.evaluate((limit) => {
    const rows = Array.from(document.querySelectorAll('.grid-body .row'))
      .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')));
    return rows.slice(0, limit).map((row) => Array.from(row.querySelectorAll('.cell[role=gridcell]')).map((cell) => (cell.classList.contains('null') ? null : cell.textContent)));
  }, limit);
}

async function resultInfo() {
  return page.locator('.result-info').innerText();
}

const scenarios = {
  /** On a coordinator with passwords: the login page, a wrong password, a sign-in, a query, a sign-out. Argument: user|password. */
  async signIn() {
    const [name, password] = argument.split('|');
    await page.goto(baseUrl + '/ui/', { waitUntil: 'load' });
    await page.locator('.login-page').waitFor();
    const loginUrl = new URL(page.url()).pathname;
    await shot('login');
    await page.getByLabel('User', { exact: true }).fill(name);
    await page.getByLabel('Password').fill(password + '-wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.login .error', { hasText: /./ }).waitFor();
    const wrongPassword = await page.locator('.login .error').innerText();
    await shot('wrong-password');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.cm-content').waitFor();
    await page.locator('#sign-out:not([hidden])').waitFor();
    const shownUser = await page.locator('#user').inputValue();
    const userReadOnly = await page.locator('#user').evaluate((input) => input.readOnly);
    await typeSql("SELECT 'signed-in' AS marker");
    await runAndWait();
    const rows = await gridRows();
    const whoami = await page.evaluate(async () => (await fetch('/v1/console/whoami')).json());
    await shot('signed-in');
    await page.locator('#sign-out').click();
    await page.locator('.login-page').waitFor();
    const afterSignOut = await page.evaluate(async () => (await fetch('/v1/console/whoami')).status);
    await shot('signed-out');
    return { loginUrl, wrongPassword, shownUser, userReadOnly, rows, whoami, afterSignOut };
  },

  /** Type a query, run it, read the grid; the first page loads in under a second. */
  async run() {
    await open();
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
    });
    await shot('loaded');
    await typeSql(argument);
    await shot('typed');
    await runAndWait();
    await shot('finished');
    const header = await gridHeader();
    const rows = await gridRows();
    const info = await resultInfo();
    // the Format button lays the statement out clause by clause
    await page.getByRole('button', { name: 'Format' }).click();
    const formatted = await page.locator('.cm-content').evaluate((element) => Array.from(element.querySelectorAll('.cm-line')).map((line) => line.textContent).join('\n'));
    await shot('formatted');
    return { timing, header, rows, info, formatted };
  },

  /** Start a long query, watch it run, cancel it. */
  async cancel() {
    await open();
    await typeSql(argument);
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.locator('.progress .badge[data-state="RUNNING"], .progress .badge[data-state="PLANNING"]').first().waitFor();
    const queryId = await page.locator('.progress a.stat').innerText();
    await shot('running');
    const started = Date.now();
    await page.getByRole('button', { name: '■ Cancel' }).click();
    await page.locator('.error-box .error-name').waitFor({ timeout: 10_000 });
    const errorName = await page.locator('.error-box .error-name').innerText();
    const cancelMillis = Date.now() - started;
    await shot('canceled');
    return { queryId, errorName, cancelMillis, state: await page.locator('.progress .badge').getAttribute('data-state') };
  },

  /** A failing statement marks its line:column in the editor. */
  async error() {
    await open();
    await typeSql(argument);
    // the cursor ends on the last statement, the one that fails
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.locator('.error-box .error-name').waitFor();
    await page.locator('.cm-lintRange-error').first().waitFor();
    await shot('error');
    const marked = await page.locator('.cm-lintRange-error').first().innerText();
    const line = await page.evaluate(() => {
      const mark = document.querySelector('.cm-lintRange-error');
      const lines = Array.from(document.querySelectorAll('.cm-line'));
      return lines.findIndex((l) => l.contains(mark)) + 1;
    });
    await page.locator('.cm-lintRange-error').first().hover();
    await page.locator('.cm-tooltip-hover, .cm-tooltip-lint').first().waitFor();
    await shot('tooltip');
    return {
      errorName: await page.locator('.error-box .error-name').innerText(),
      message: await page.locator('.error-box .error-message').innerText(),
      location: await page.locator('.error-box .error-location').innerText(),
      marked,
      line,
      tooltip: await page.locator('.cm-tooltip-hover, .cm-tooltip-lint').first().innerText(),
    };
  },

  /** Expand the catalog tree, read a table's details, preview it and show its DDL. */
  async catalog() {
    const [schema, table] = argument.split('.');
    await open();
    await page.locator(`li[data-schema="${schema}"] > .node .twisty`).click();
    const tableItem = page.locator(`li[data-table="${schema}.${table}"]`);
    await tableItem.waitFor();
    await tableItem.locator('> .node .twisty').click();
    await tableItem.locator('.table-detail .columns li').first().waitFor();
    await shot('tree');
    const columns = await tableItem.locator('.table-detail .columns li').evaluateAll((items) =>
      items.map((item) => ({ name: item.querySelector('.name').textContent, type: item.querySelector('.type').textContent, partition: item.classList.contains('partition') })));
    const props = await tableItem.locator('dl.props div').evaluateAll((items) => Object.fromEntries(items.map((item) => [item.querySelector('dt').textContent, item.querySelector('dd').textContent])));
    // click a column name: it is inserted in the editor
    await typeSql('SELECT  FROM t');
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    await tableItem.locator('.table-detail .columns li .name').first().click();
    const inserted = await page.locator('.cm-content').innerText();
    await tableItem.locator('> .node').hover();
    await tableItem.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.progress .badge[data-state="FINISHED"]').waitFor({ timeout: 60_000 });
    await shot('preview');
    const previewSql = await page.locator('.cm-content').innerText();
    const previewInfo = await resultInfo();
    const previewHeader = await gridHeader();
    await tableItem.locator('> .node').hover();
    await tableItem.getByRole('button', { name: 'DDL' }).click();
    await page.locator('.progress .badge[data-state="FINISHED"]').waitFor({ timeout: 60_000 });
    await page.locator('.grid-body .row').first().waitFor();
    await shot('ddl');
    const ddl = (await gridRows(1))[0]?.[0] ?? '';
    const tabs = await page.locator('.tab-title').allInnerTexts();
    // completion offers the catalog's tables and columns
    const completions = {};
    for (const [key, text] of [['table', `SELECT * FROM ${schema}.${table.slice(0, 3)}`], ['column', `SELECT ${schema}.${table}.sta`]]) {
      await typeSql(text);
      await page.keyboard.press('Control+Space');
      await page.locator('.cm-tooltip-autocomplete li').first().waitFor();
      completions[key] = await page.locator('.cm-tooltip-autocomplete li .cm-completionLabel').allInnerTexts();
      await shot('complete-' + key);
    }
    return { columns, props, inserted, previewSql, previewInfo, previewHeader, ddl, tabs, completions };
  },

  /** Run a query and download its result as CSV (saved to <argument>.csv) and JSON. */
  async download() {
    const [path, sql] = [argument.split('\n')[0], argument.split('\n').slice(1).join('\n')];
    await open();
    await typeSql(sql);
    await runAndWait();
    await shot('result');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    await csv.saveAs(path + '.csv');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON' }).click()]);
    await json.saveAs(path + '.json');
    // copy a cell (click, Ctrl/Cmd+C) and the rows (with a header), as a spreadsheet pastes them
    await page.locator('.grid-body .row[aria-rowindex="2"] .cell[data-col="2"]').click();
    await page.keyboard.press('ControlOrMeta+c');
    const copiedCell = await page.evaluate(() => navigator.clipboard.readText());
    await page.getByRole('button', { name: 'Copy rows' }).click();
    await page.waitForFunction(async (cell) => (await navigator.clipboard.readText()) !== cell, copiedCell);
    const copiedRow = await page.evaluate(() => navigator.clipboard.readText());
    // filter on the client
    await page.getByRole('searchbox', { name: 'Filter rows' }).fill('post');
    await page.locator('.result-info', { hasText: ' of ' }).waitFor();
    await shot('filtered');
    return { csvName: csv.suggestedFilename(), jsonName: json.suggestedFilename(), copiedCell, copiedRow, filteredInfo: await resultInfo(), filtered: await gridRows() };
  },

  /** Run a query, reload, find it in the history, re-run it. */
  async history() {
    await open();
    await typeSql(argument);
    await runAndWait();
    const queryId = await page.locator('.progress a.stat').innerText();
    await page.reload({ waitUntil: 'load' });
    await page.locator('.cm-content').waitFor();
    const editorAfterReload = await page.locator('.cm-content').innerText();
    await shot('reloaded');
    await page.getByRole('link', { name: 'History' }).click();
    const needle = argument.match(/'([^']+)'/)?.[1] ?? argument;
    await page.getByRole('searchbox', { name: 'Search history' }).fill(needle);
    await page.locator(`table.list[data-query="${needle}"][aria-busy=false]`).waitFor();
    const shown = await page.locator('table.list tbody tr').count();
    const row = page.locator(`tr[data-query-id="${queryId}"]`);
    await row.waitFor();
    await shot('history');
    const cells = await row.locator('td').allInnerTexts();
    await row.getByRole('button', { name: 'Re-run' }).click();
    await page.locator('.progress .badge[data-state="FINISHED"]').waitFor({ timeout: 60_000 });
    const rerunId = await page.locator('.progress a.stat').innerText();
    await page.locator('.grid-body .row').first().waitFor();
    const rows = await gridRows();
    await shot('rerun');
    await page.goto(`${baseUrl}/ui/queries/${queryId}`);
    await page.locator('dl.facts').first().waitFor();
    await shot('detail');
    const detail = await page.locator('section.page').innerText();
    return { queryId, rerunId, editorAfterReload, cells, shown, rows, detail };
  },

  /** Save the editor's query under a name (argument: name|description|sql). */
  async save() {
    const [name, description, sql] = argument.split('|');
    await open();
    await typeSql(sql);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('dialog input[name=name]').fill(name);
    await page.locator('dialog textarea[name=description]').fill(description);
    await shot('dialog');
    await page.locator('dialog').getByRole('button', { name: 'Save' }).click();
    await page.locator('dialog').waitFor({ state: 'detached' });
    await page.locator('.tab.active .tab-title', { hasText: name }).waitFor();
    await shot('saved');
    return { tabs: await page.locator('.tab-title').allInnerTexts() };
  },

  /** Find a saved query by name (after a coordinator restart), open and run it. */
  async findSaved() {
    const [name] = argument.split('|');
    await page.addInitScript(() => localStorage.clear());
    await open('/ui/saved');
    await page.getByRole('searchbox', { name: 'Search saved queries' }).fill(name);
    const card = page.locator('article.saved', { hasText: name });
    await card.waitFor();
    await shot('list');
    const text = await card.innerText();
    await card.getByRole('button', { name: 'Run' }).click();
    await page.locator('.progress .badge[data-state="FINISHED"]').waitFor({ timeout: 60_000 });
    await shot('run');
    return { text, editor: await page.locator('.cm-content').innerText(), rows: await gridRows() };
  },

  /** Chart an aggregate. */
  async chart() {
    await open();
    await typeSql(argument.split('\n---\n')[0]);
    await runAndWait();
    await page.getByRole('button', { name: 'Chart' }).click();
    const canvas = page.locator('.chart-host canvas');
    await canvas.waitFor();
    await shot('bar');
    const bar = await canvas.getAttribute('aria-label');
    await page.getByRole('combobox', { name: 'Chart type' }).selectOption('line');
    await page.locator('.chart-host canvas').waitFor();
    const line = await page.locator('.chart-host canvas').getAttribute('aria-label');
    await shot('line');
    // count the coloured pixels: a drawn chart is not a blank canvas
    const painted = await page.locator('.chart-host canvas').evaluate((element) => {
      const context = element.getContext('2d');
      const { data } = context.getImageData(0, 0, element.width, element.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && !(data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240)) count++;
      return count;
    });
    const legend = await page.locator('.u-legend').innerText();
    // a time series: the x axis is a time axis
    let time;
    const [, timeSql] = argument.split('\n---\n');
    if (timeSql) {
      await page.getByRole('button', { name: 'Results' }).click();
      await typeSql(timeSql);
      await runAndWait();
      await page.getByRole('button', { name: 'Chart' }).click();
      await page.getByRole('combobox', { name: 'Chart type' }).selectOption('area');
      await page.locator('.chart-host canvas[aria-label^="area"]').waitFor();
      time = { label: await page.locator('.chart-host canvas').getAttribute('aria-label'), xOption: await page.getByRole('combobox', { name: 'X axis column' }).locator('option:checked').innerText() };
      await shot('time');
    }
    return { bar, line, painted, legend, time };
  },

  /** 100,000 rows: the grid keeps the DOM small and scrolling to the end stays fast. */
  async bigResult() {
    await open();
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask', buffered: false });
    });
    await typeSql(argument);
    await runAndWait();
    const info = await resultInfo();
    await page.locator('.grid').click();
    const started = Date.now();
    await page.keyboard.press('End');
    await page.locator('.grid-body .row.selected').waitFor();
    const endMillis = Date.now() - started;
    await shot('end');
    const lastRowNumber = await page.locator('.grid-body .row.selected .rownum').innerText();
    const domRows = await page.locator('.grid-body .row').count();
    const sortStarted = Date.now();
    await page.locator('.grid-header .cell.head').first().click();
    await page.locator('.grid-header .cell.head .sort', { hasText: '▲' }).waitFor();
    const sortMillis = Date.now() - sortStarted;
    await shot('sorted');
    const longTasks = await page.evaluate(() => window.__longTasks);
    return { info, endMillis, lastRowNumber, domRows, sortMillis, longTasks };
  },
};

let exitCode = 0;
try {
  if (!(scenario in scenarios)) throw new Error(`no scenario ${scenario}; known: ${Object.keys(scenarios).join(', ')}`);
  const result = await scenarios[scenario]();
  console.log('RESULT ' + JSON.stringify({ ...result, consoleErrors }));
} catch (error) {
  exitCode = 1;
  console.error(`scenario ${scenario} failed: ${error.stack ?? error}`);
  if (consoleErrors.length) console.error(`errors in the page:\n${consoleErrors.join('\n')}`);
  try {
    await shot('failure');
  } catch {
    // the page may be gone
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
