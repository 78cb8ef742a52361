// A virtualized result grid: only the rows in view are in the DOM (@tanstack/virtual-core), so
// 100,000 rows scroll as smoothly as 100. Sort (click a header), filter, cell and row selection,
// and Ctrl/Cmd+C copy as tab-separated text.

import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import { cellText, isNumeric, toTsv, viewIndex, type Column, type Row } from './results';

const ROW_HEIGHT = 26;

export class ResultGrid {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private columns: Column[] = [];
  private rows: Row[] = [];
  private widths: number[] = [];
  private index: Int32Array = new Int32Array(0);
  private sortColumn = -1;
  private descending = false;
  private filter = '';
  private selectedRow = -1; // position in the view
  private anchorRow = -1;
  private selectedColumn = 0;
  private pending = 0;
  private readonly virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>;
  onViewChange: (shown: number, total: number) => void = () => {};

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'grid';
    this.element.setAttribute('role', 'grid');
    this.element.tabIndex = 0;
    this.scroller = div('grid-scroll');
    this.header = div('grid-header');
    this.header.setAttribute('role', 'row');
    this.header.setAttribute('aria-rowindex', '1');
    this.body = div('grid-body');
    this.body.setAttribute('role', 'rowgroup');
    this.scroller.append(this.header, this.body);
    this.element.append(this.scroller);
    this.virtualizer = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => ROW_HEIGHT,
      overscan: 12,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.renderRows(),
    });
    this.virtualizer._didMount();
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.body.addEventListener('mousedown', (event) => this.onClick(event));
  }

  /** A new result: columns now, rows as they stream in through {@link append}. */
  reset(columns: Column[]) {
    this.columns = columns;
    this.rows = [];
    this.index = new Int32Array(0);
    this.sortColumn = -1;
    this.descending = false;
    this.selectedRow = -1;
    this.anchorRow = -1;
    this.widths = columns.map((column) => Math.min(360, Math.max(70, 8 * Math.max(column.name.length, column.type.length + 2) + 24)));
    this.element.setAttribute('aria-colcount', String(columns.length + 1));
    this.renderHeader();
    this.refresh();
  }

  append(rows: Row[]) {
    const first = this.rows.length === 0;
    for (const row of rows) this.rows.push(row);
    if (first) this.fitWidths();
    this.schedule();
  }

  allRows(): Row[] {
    return this.rows;
  }

  allColumns(): Column[] {
    return this.columns;
  }

  /** The row numbers shown, in order (after sort and filter). */
  view(): Int32Array {
    return this.index;
  }

  setFilter(filter: string) {
    this.filter = filter;
    this.selectedRow = -1;
    this.refresh();
  }

  sortBy(column: number) {
    if (this.sortColumn === column) this.descending = !this.descending;
    else {
      this.sortColumn = column;
      this.descending = false;
    }
    this.renderHeader();
    this.refresh();
  }

  private fitWidths() {
    const sample = this.rows.slice(0, 200);
    this.widths = this.columns.map((column, c) => {
      let chars = Math.max(column.name.length, column.type.length + 2);
      for (const row of sample) chars = Math.max(chars, Math.min(48, cellText(row[c]).length));
      return Math.min(420, Math.max(70, chars * 7.6 + 22));
    });
    this.renderHeader();
  }

  private schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.refresh();
    });
  }

  private refresh() {
    this.index = viewIndex(this.columns, this.rows, this.sortColumn, this.descending, this.filter);
    this.element.setAttribute('aria-rowcount', String(this.index.length + 1));
    this.virtualizer.setOptions({ ...this.virtualizer.options, count: this.index.length });
    this.virtualizer._willUpdate();
    this.body.style.height = `${this.virtualizer.getTotalSize()}px`;
    this.body.style.width = `${this.totalWidth()}px`;
    this.renderRows();
    this.onViewChange(this.index.length, this.rows.length);
  }

  private totalWidth(): number {
    return 56 + this.widths.reduce((sum, width) => sum + width, 0);
  }

  private renderHeader() {
    this.header.replaceChildren();
    this.header.style.width = `${this.totalWidth()}px`;
    const corner = div('cell rownum');
    corner.textContent = '#';
    corner.setAttribute('role', 'columnheader');
    this.header.append(corner);
    this.columns.forEach((column, c) => {
      const cell = div('cell head');
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-colindex', String(c + 2));
      cell.style.width = `${this.widths[c]}px`;
      if (isNumeric(column.type)) cell.classList.add('num');
      const name = document.createElement('span');
      name.className = 'col-name';
      name.textContent = column.name;
      const type = document.createElement('span');
      type.className = 'col-type';
      type.textContent = column.type;
      const arrow = document.createElement('span');
      arrow.className = 'sort';
      arrow.textContent = this.sortColumn === c ? (this.descending ? '▼' : '▲') : '';
      cell.setAttribute('aria-sort', this.sortColumn === c ? (this.descending ? 'descending' : 'ascending') : 'none');
      cell.title = `${column.name} ${column.type} — click to sort`;
      cell.append(name, type, arrow);
      cell.addEventListener('click', () => this.sortBy(c));
      this.header.append(cell);
    });
  }

  private renderRows() {
    const fragment = document.createDocumentFragment();
    const numeric = this.columns.map((column) => isNumeric(column.type));
    const [low, high] = this.selectedRange();
    for (const item of this.virtualizer.getVirtualItems()) {
      const rowNumber = this.index[item.index];
      const data = this.rows[rowNumber];
      if (!data) continue;
      const row = div('row');
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(item.index + 2));
      row.dataset.view = String(item.index);
      row.style.transform = `translateY(${item.start}px)`;
      if (item.index >= low && item.index <= high) row.classList.add('selected');
      const number = div('cell rownum');
      number.textContent = String(rowNumber + 1);
      row.append(number);
      for (let c = 0; c < this.columns.length; c++) {
        const value = data[c];
        const cell = div('cell');
        cell.setAttribute('role', 'gridcell');
        cell.dataset.col = String(c);
        cell.style.width = `${this.widths[c]}px`;
        if (numeric[c]) cell.classList.add('num');
        if (value === null || value === undefined) {
          cell.classList.add('null');
          cell.textContent = 'NULL';
        } else {
          cell.textContent = cellText(value);
        }
        if (item.index === this.selectedRow && c === this.selectedColumn) {
          cell.classList.add('focus');
          cell.setAttribute('aria-selected', 'true');
        }
        row.append(cell);
      }
      fragment.append(row);
    }
    this.body.replaceChildren(fragment);
  }

  private selectedRange(): [number, number] {
    if (this.selectedRow < 0) return [-1, -2];
    const anchor = this.anchorRow < 0 ? this.selectedRow : this.anchorRow;
    return [Math.min(anchor, this.selectedRow), Math.max(anchor, this.selectedRow)];
  }

  private onClick(event: MouseEvent) {
    const target = event.target as HTMLElement;
    const rowElement = target.closest<HTMLElement>('.row');
    if (!rowElement) return;
    const view = Number(rowElement.dataset.view);
    if (event.shiftKey && this.selectedRow >= 0) {
      if (this.anchorRow < 0) this.anchorRow = this.selectedRow;
    } else {
      this.anchorRow = -1;
    }
    this.selectedRow = view;
    const column = target.closest<HTMLElement>('.cell')?.dataset.col;
    if (column !== undefined) this.selectedColumn = Number(column);
    this.renderRows();
    this.element.focus();
  }

  private onKey(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && event.key === 'c') {
      const text = this.selectionText();
      if (text !== undefined) {
        event.preventDefault();
        void copyText(text);
      }
      return;
    }
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 };
    if (event.key in moves || event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const count = this.index.length;
      if (count === 0) return;
      let next = event.key === 'Home' ? 0 : event.key === 'End' ? count - 1 : Math.max(0, this.selectedRow) + moves[event.key];
      next = Math.max(0, Math.min(count - 1, next));
      if (event.shiftKey) {
        if (this.anchorRow < 0) this.anchorRow = Math.max(0, this.selectedRow);
      } else this.anchorRow = -1;
      this.selectedRow = next;
      this.virtualizer.scrollToIndex(next);
      this.renderRows();
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      this.selectedColumn = Math.max(0, Math.min(this.columns.length - 1, this.selectedColumn + (event.key === 'ArrowRight' ? 1 : -1)));
      this.renderRows();
    }
  }

  /** The selected cell's text, or the selected rows as TSV when several are selected. */
  selectionText(): string | undefined {
    if (this.selectedRow < 0) return undefined;
    const [low, high] = this.selectedRange();
    if (high > low) return this.rowsText(false);
    const value = this.rows[this.index[this.selectedRow]]?.[this.selectedColumn];
    return value === undefined ? undefined : cellText(value);
  }

  /** The selected rows (or all shown rows when none is selected) as TSV. */
  rowsText(header: boolean): string {
    let [low, high] = this.selectedRange();
    if (low < 0) [low, high] = [0, this.index.length - 1];
    const rows: Row[] = [];
    for (let i = low; i <= high; i++) rows.push(this.rows[this.index[i]]);
    return toTsv(this.columns, rows, header);
  }

  scrollToEnd() {
    this.virtualizer.scrollToIndex(this.index.length - 1);
  }
}

export async function copyText(text: string) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

function div(className: string): HTMLDivElement {
  const element = document.createElement('div');
  element.className = className;
  return element;
}
