// A tiny DOM builder: h('button.primary', {onclick}, 'Run').

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(spec: K | `${K}.${string}` | `${K}#${string}`, props?: Props | Child, ...children: Child[]): HTMLElementTagNameMap[K] {
  const [tagAndId, ...classes] = spec.split('.');
  const [tag, id] = tagAndId.split('#');
  const element = document.createElement(tag) as HTMLElementTagNameMap[K];
  if (id) element.id = id;
  if (classes.length) element.className = classes.join(' ');
  if (props !== null && typeof props === 'object' && !(props instanceof Node)) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        element.addEventListener(key.slice(2), value as EventListener);
      } else if (key === 'class') {
        element.className += (element.className ? ' ' : '') + String(value);
      } else if (key === 'dataset') {
        Object.assign(element.dataset, value);
      } else if (key in element && !key.includes('-')) {
        (element as unknown as Record<string, unknown>)[key] = value;
      } else {
        element.setAttribute(key, value === true ? '' : String(value));
      }
    }
  } else if (props !== undefined) {
    children.unshift(props as Child);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function announce(text: string) {
  const announcer = document.getElementById('announcer');
  if (announcer) announcer.textContent = text;
}

export function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Children without the null/false placeholders of conditional parts. */
export function compact(...children: (Node | string | null | undefined | false)[]): (Node | string)[] {
  return children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false);
}
