// The page (index.html): a list of notes that stays current. It reaches the data only through
// `window.db`, which the preload script exposes; it has no Node and no shared memory.
import type { DbApi, DbChange } from './db-api.ts';

declare global {
  interface Window {
    readonly db: DbApi;
  }
}

const PREFIX = 'notes/';
const notes = document.querySelector('#notes') as HTMLUListElement;
const form = document.querySelector('#add') as HTMLFormElement;
const input = document.querySelector('#text') as HTMLInputElement;
const shown = new Map<string, HTMLLIElement>();

function show(key: string, text: string): void {
  const item = shown.get(key) ?? document.createElement('li');
  item.textContent = text;
  if (!shown.has(key)) notes.append(item);
  shown.set(key, item);
}

function apply(change: DbChange): void {
  if (change.kind === 'delete') {
    shown.get(change.key)?.remove();
    shown.delete(change.key);
  } else show(change.key, String(change.value?.text ?? ''));
}

/** Watches first, then lists, so no change falls between the two; again after a failed watch. */
async function load(): Promise<void> {
  window.db.watch(PREFIX, apply, (code) => {
    console.warn(`watch ended (${code}); loading again`);
    setTimeout(() => void load(), 1_000);
  });
  let after: string | undefined;
  do {
    const page = await window.db.list(PREFIX, after);
    for (const { key, value } of page.items) show(key, String(value.text ?? ''));
    after = page.next;
  } while (after !== undefined);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void window.db.put(`${PREFIX}${Date.now()}`, { text: input.value });
  input.value = '';
});

void load();
