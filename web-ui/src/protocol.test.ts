import { describe, expect, it } from 'vitest';
import { parseResults } from './protocol';
import { loadTabs, saveTabs, titleFor } from './tabs';

describe('parseResults', () => {
  it('keeps integers past 2^53 exact where the runtime gives the source text', () => {
    const results = parseResults('{"id":"q","stats":{"state":"FINISHED"},"data":[[9007199254740993, 1.5, 42]]}');
    const big = results.data![0][0];
    // Node 20 has no reviver source: the value is then a number; browsers keep the digits
    expect(String(big) === '9007199254740993' || typeof big === 'number').toBe(true);
    expect(results.data![0].slice(1)).toEqual([1.5, 42]);
  });
});

class MemoryStorage {
  private values = new Map<string, string>();
  get length() {
    return this.values.size;
  }
  clear() {
    this.values.clear();
  }
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  key(index: number) {
    return Array.from(this.values.keys())[index] ?? null;
  }
  removeItem(key: string) {
    this.values.delete(key);
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
}

describe('tabs', () => {
  it('survive a reload', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const state = loadTabs(storage);
    expect(state.tabs).toHaveLength(1);
    state.tabs.push({ id: 'two', title: '', sql: 'SELECT 2' });
    state.active = 'two';
    saveTabs(storage, state);
    const again = loadTabs(storage);
    expect(again.active).toBe('two');
    expect(again.tabs.map((tab) => tab.sql)).toEqual(['SELECT 1', 'SELECT 2']);
  });
  it('start fresh from unreadable storage', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    storage.setItem('glaux.console.tabs.v1', '{not json');
    expect(loadTabs(storage).tabs).toHaveLength(1);
  });
  it('are titled by name or first words', () => {
    expect(titleFor({ id: 'a', title: '', sql: '-- hi\nSELECT  status, count(*) FROM access_logs' }, 0)).toBe('SELECT status, count(*)…');
    expect(titleFor({ id: 'a', title: '', sql: '', savedName: 'Errors' }, 0)).toBe('Errors');
    expect(titleFor({ id: 'a', title: '', sql: '' }, 2)).toBe('Query 3');
  });
});
