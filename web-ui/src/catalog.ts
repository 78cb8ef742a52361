// The catalog browser: schemas → tables → columns (types, partition keys), location and format,
// loaded lazily with SQL (SHOW SCHEMAS, SHOW TABLES, DESCRIBE FORMATTED). The same look-ups feed
// the editor's completion.

import type { Completion } from '@codemirror/autocomplete';
import type { SQLNamespace } from '@codemirror/lang-sql';
import { h } from './dom';
import { queryRows, type SessionState } from './protocol';
import { cellText, type Row } from './results';

export interface TableDetail {
  columns: { name: string; type: string; partition: boolean; comment: string }[];
  location?: string;
  format?: string;
  tableType?: string;
}

export interface CatalogActions {
  insert(text: string): void;
  preview(qualified: string): void;
  showDdl(qualified: string): void;
}

export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : '"' + name.replace(/"/g, '""') + '"';
}

/** Reads DESCRIBE FORMATTED's rows: data columns, then partition columns, then the detailed table information. */
export function parseDescribeFormatted(rows: Row[]): TableDetail {
  const detail: TableDetail = { columns: [] };
  let section: 'columns' | 'partitions' | 'other' = 'columns';
  for (const row of rows) {
    const [a, b, c] = row.map((cell) => cellText(cell).trim());
    if (a === '# Partition Information') {
      section = 'partitions';
      continue;
    }
    if (a.startsWith('# Detailed') || a.startsWith('# Storage')) {
      section = 'other';
      continue;
    }
    if (a === '# col_name' || (a === '' && b === '')) continue;
    if (section === 'columns' || section === 'partitions') {
      if (a !== '') {
        const existing = detail.columns.find((column) => column.name === a);
        if (existing) existing.partition = section === 'partitions';
        else detail.columns.push({ name: a, type: b, partition: section === 'partitions', comment: c ?? '' });
      }
    } else if (a === 'Location:') detail.location = b;
    else if (a === 'Table Type:') detail.tableType = b;
    else if (a === 'InputFormat:') detail.format = formatName(b);
    else if (a === 'SerDe Library:' && !detail.format) detail.format = formatName(b);
  }
  return detail;
}

/** A short name for a Hive input format or SerDe class. */
export function formatName(className: string): string {
  const known: [RegExp, string][] = [
    [/parquet/i, 'Parquet'],
    [/orc/i, 'ORC'],
    [/json/i, 'JSON'],
    [/avro/i, 'Avro'],
    [/opencsv|csv/i, 'CSV'],
    [/regex|grok/i, 'Regex'],
    [/textinputformat|lazysimple/i, 'Text'],
  ];
  for (const [pattern, name] of known) if (pattern.test(className)) return name;
  return className.split('.').pop() ?? className;
}

export class CatalogBrowser {
  readonly element: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly status: HTMLElement;
  catalog = 'hive';

  constructor(private readonly session: () => SessionState, private readonly actions: CatalogActions) {
    this.tree = h('ul.tree', { role: 'tree', 'aria-label': 'Catalog' });
    this.status = h('div.muted');
    this.element = h(
      'section.catalog',
      { 'aria-label': 'Catalog browser' },
      h('div.panel-head', h('h2', 'Catalog'), h('button.small', { title: 'Reload the catalog', onclick: () => void this.load() }, '⟳')),
      this.status,
      this.tree,
    );
  }

  async load() {
    this.status.textContent = 'Loading schemas…';
    this.tree.replaceChildren();
    try {
      const { rows } = await queryRows(`SHOW SCHEMAS FROM ${quoteIdentifier(this.catalog)}`, this.session());
      const schemas = rows.map((row) => cellText(row[0])).filter((name) => name !== 'information_schema').sort();
      this.status.textContent = schemas.length === 0 ? 'No schemas' : '';
      for (const schema of schemas) this.tree.append(this.schemaNode(schema));
    } catch (error) {
      this.status.textContent = `Cannot load the catalog: ${(error as Error).message}`;
    }
  }

  private schemaNode(schema: string): HTMLElement {
    const children = h('ul', { role: 'group', hidden: true });
    const toggle = h('button.twisty', { 'aria-label': `Expand schema ${schema}`, 'aria-expanded': 'false' }, '▸');
    const item = h(
      'li',
      { role: 'treeitem', 'aria-expanded': 'false', dataset: { schema } },
      h('div.node', toggle, h('span.icon', '▤'), h('button.name', { title: 'Insert the name', onclick: () => this.actions.insert(quoteIdentifier(schema)) }, schema)),
      children,
    );
    let loaded = false;
    toggle.addEventListener('click', async () => {
      const open = children.hidden;
      children.hidden = !open;
      toggle.textContent = open ? '▾' : '▸';
      toggle.setAttribute('aria-expanded', String(open));
      item.setAttribute('aria-expanded', String(open));
      if (open && !loaded) {
        loaded = true;
        children.append(h('li.muted', 'Loading…'));
        try {
          const { rows } = await queryRows(`SHOW TABLES FROM ${quoteIdentifier(this.catalog)}.${quoteIdentifier(schema)}`, this.session());
          children.replaceChildren(...rows.map((row) => this.tableNode(schema, cellText(row[0]))));
          if (rows.length === 0) children.append(h('li.muted', 'No tables'));
        } catch (error) {
          children.replaceChildren(h('li.error', (error as Error).message));
          loaded = false;
        }
      }
    });
    return item;
  }

  private tableNode(schema: string, table: string): HTMLElement {
    const qualified = `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
    const details = h('div.table-detail', { hidden: true });
    const toggle = h('button.twisty', { 'aria-label': `Expand table ${table}`, 'aria-expanded': 'false' }, '▸');
    const item = h(
      'li',
      { role: 'treeitem', 'aria-expanded': 'false', dataset: { table: `${schema}.${table}` } },
      h(
        'div.node',
        toggle,
        h('span.icon', '▦'),
        h('button.name', { title: 'Insert the name', onclick: () => this.actions.insert(qualified) }, table),
        h('span.actions',
          h('button.small', { title: `SELECT * FROM ${qualified} LIMIT 100`, onclick: () => this.actions.preview(qualified) }, 'Preview'),
          h('button.small', { title: `SHOW CREATE TABLE ${qualified}`, onclick: () => this.actions.showDdl(qualified) }, 'DDL')),
      ),
      details,
    );
    let loaded = false;
    toggle.addEventListener('click', async () => {
      const open = details.hidden;
      details.hidden = !open;
      toggle.textContent = open ? '▾' : '▸';
      toggle.setAttribute('aria-expanded', String(open));
      item.setAttribute('aria-expanded', String(open));
      if (open && !loaded) {
        loaded = true;
        details.append(h('div.muted', 'Loading…'));
        try {
          details.replaceChildren(this.renderDetail(await this.describe(schema, table)));
        } catch (error) {
          details.replaceChildren(h('div.error', (error as Error).message));
          loaded = false;
        }
      }
    });
    return item;
  }

  private async describe(schema: string, table: string): Promise<TableDetail> {
    const name = `${quoteIdentifier(this.catalog)}.${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
    try {
      return parseDescribeFormatted((await queryRows(`DESCRIBE FORMATTED ${name}`, this.session())).rows);
    } catch {
      // views and system tables: the plain column list
      const { rows } = await queryRows(`DESCRIBE ${name}`, this.session());
      return { columns: rows.map((row) => ({ name: cellText(row[0]), type: cellText(row[1]), partition: false, comment: cellText(row[3]) })) };
    }
  }

  private renderDetail(detail: TableDetail): HTMLElement {
    const list = h('ul.columns', { role: 'group' });
    for (const column of detail.columns) {
      list.append(
        h('li', { role: 'treeitem', class: column.partition ? 'partition' : '' },
          h('button.name', { title: column.comment || 'Insert the name', onclick: () => this.actions.insert(quoteIdentifier(column.name)) }, column.name),
          h('span.type', column.type),
          column.partition ? h('span.badge', { title: 'Partition key' }, 'partition') : null),
      );
    }
    return h('div',
      list,
      detail.format || detail.location
        ? h('dl.props',
            detail.format ? h('div', h('dt', 'Format'), h('dd', detail.format)) : null,
            detail.tableType ? h('div', h('dt', 'Type'), h('dd', detail.tableType)) : null,
            detail.location ? h('div', h('dt', 'Location'), h('dd', { title: detail.location }, detail.location)) : null)
        : null);
  }

  /** Every table's columns, for completion: schema → table → columns. */
  async completionSchema(): Promise<SQLNamespace> {
    const { rows } = await queryRows(
      `SELECT table_schem, table_name, column_name, type_name FROM system.jdbc.columns WHERE table_cat = '${this.catalog.replace(/'/g, "''")}' ORDER BY table_schem, table_name, ordinal_position`,
      this.session(),
    );
    const namespace: Record<string, Record<string, Completion[]>> = {};
    for (const row of rows.slice(0, 50_000)) {
      const [schema, table, column, type] = row.map((cell) => cellText(cell));
      const tables = (namespace[schema] ??= {});
      (tables[table] ??= []).push({ label: column, type: 'property', detail: type });
    }
    return namespace;
  }
}
