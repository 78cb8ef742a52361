// Editor tabs, kept in localStorage so a reload (or a crash) loses nothing. Result rows are never stored.

export interface EditorTab {
  id: string;
  title: string;
  sql: string;
  savedId?: number;
  savedName?: string;
  savedDescription?: string;
}

const KEY = 'glaux.console.tabs.v1';

export interface TabsState {
  tabs: EditorTab[];
  active: string;
}

export function newTabId(): string {
  return Math.random().toString(36).slice(2, 10);
}

export function loadTabs(storage: Storage): TabsState {
  try {
    const parsed = JSON.parse(storage.getItem(KEY) ?? '') as TabsState;
    if (Array.isArray(parsed.tabs) && parsed.tabs.length > 0 && parsed.tabs.every((tab) => typeof tab.id === 'string' && typeof tab.sql === 'string')) {
      if (!parsed.tabs.some((tab) => tab.id === parsed.active)) parsed.active = parsed.tabs[0].id;
      return parsed;
    }
  } catch {
    // first visit or unreadable: start fresh
  }
  const id = newTabId();
  return { tabs: [{ id, title: 'Query 1', sql: 'SELECT 1' }], active: id };
}

export function saveTabs(storage: Storage, state: TabsState) {
  storage.setItem(KEY, JSON.stringify(state));
}

/** A title for a tab without a saved name: the statement's first words. */
export function titleFor(tab: EditorTab, position: number): string {
  if (tab.savedName) return tab.savedName;
  const words = tab.sql.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim();
  return words ? (words.length > 24 ? words.slice(0, 23) + '…' : words) : `Query ${position + 1}`;
}
