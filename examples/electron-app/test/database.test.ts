// The example's Electron-free part (src/database.ts) under plain Node in Electron's conditions
// (PLURESDB_IPC_ELECTRON_CAGE=1, vitest.config.ts): a real server started by startServer;
// requests through the handlers main.ts registers, a watch over a MessagePort as a renderer
// opens one, the shutdown in its documented order with the server exiting 0, and a crashed
// server reported. Electron itself cannot run here (docs/electron.md).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { cageMode } from '@pluresdb-ipc/client-node';
import type { ServerExit } from '@pluresdb-ipc/server-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppDatabase, openDatabase } from '../src/database.ts';
import type { WatchMessage } from '../src/db-api.ts';

const root = mkdtempSync(join(tmpdir(), 'pdbi-electron-app-'));
let channels = 0;
const channel = () => `el-app-${process.pid}-${++channels}`;
const opened: AppDatabase[] = [];

async function open(onServerExit?: (exit: ServerExit) => void): Promise<AppDatabase> {
  const db = await openDatabase({
    channel: channel(),
    dataDir: join(root, `db-${channels}`),
    clientName: 'test-main',
    log: () => undefined,
    ...(onServerExit === undefined ? {} : { onServerExit }),
  });
  opened.push(db);
  return db;
}

/** The messages a renderer's end of a watch receives, and its closing. */
function rendererEnd(port: MessagePort) {
  const messages: WatchMessage[] = [];
  const waiters: (() => void)[] = [];
  port.on('message', (message: WatchMessage) => {
    messages.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => port.once('close', resolve));
  return {
    messages,
    closed,
    async next(count: number): Promise<WatchMessage[]> {
      while (messages.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return messages.slice(0, count);
    },
  };
}

afterAll(async () => {
  for (const db of opened) await db.shutdown().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('the Electron example without Electron, in cage mode', () => {
  it('runs caged: this process and the server it starts', async () => {
    expect(cageMode).toBe(true);
    const db = await open();
    const environ = readFileSync(`/proc/${db.server.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('PLURESDB_IPC_ELECTRON_CAGE=1');
    await db.shutdown();
  });

  it('puts, gets, lists and watches through the handlers, then shuts down in order', async () => {
    const db = await open();
    const { port1, port2 } = new MessageChannel();
    const renderer = rendererEnd(port2);
    db.watch('notes/', port1);

    expect(await db.handlers['db:put']('notes/1', { text: 'one' })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await db.handlers['db:get']('notes/1')).toEqual({ ok: true, value: { text: 'one' } });
    expect(await db.handlers['db:get']('notes/none')).toEqual({ ok: true, value: undefined });
    await db.handlers['db:put']('notes/2', { text: 'two' });
    expect(await db.handlers['db:delete']('notes/1')).toEqual({ ok: true, value: true });
    expect(await db.handlers['db:list']('notes/')).toEqual({
      ok: true,
      value: { items: [{ key: 'notes/2', value: { text: 'two' } }] },
    });

    const [first, second, third] = await renderer.next(3);
    expect(first).toMatchObject({ type: 'change', change: { kind: 'upsert', key: 'notes/1' } });
    expect(first?.type === 'change' && first.change.value).toEqual({ text: 'one' });
    expect(first?.type === 'change' && typeof first.change.seq).toBe('string');
    expect(second).toMatchObject({ type: 'change', change: { kind: 'upsert', key: 'notes/2' } });
    expect(third).toMatchObject({ type: 'change', change: { kind: 'delete', key: 'notes/1' } });
    expect(third?.type === 'change' && 'value' in third.change).toBe(false);

    // The documented order: watches end (the renderer's port closes), the client closes,
    // the server stops with exit 0; requests after that answer Closed.
    await db.shutdown();
    await renderer.closed;
    expect(renderer.messages.filter((message) => message.type === 'ended')).toEqual([]);
    const exit = await db.server.exited;
    expect(exit).toMatchObject({ code: 0, signal: null, requested: true });
    expect(await db.handlers['db:get']('notes/2')).toMatchObject({ ok: false, code: 'Closed' });
    await expect(db.client.get('notes/2')).rejects.toThrow();
    expect(db.shutdown()).toBe(db.shutdown());
  });

  it('refuses what a renderer should not send, and ends a watch the renderer closes', async () => {
    const db = await open();
    expect(await db.handlers['db:put']('notes/x', 'not an object')).toMatchObject({
      ok: false,
      code: 'InvalidArgument',
    });
    expect(await db.handlers['db:get'](42)).toMatchObject({ ok: false, code: 'InvalidArgument' });
    expect(await db.handlers['db:list']('x'.repeat(5_000))).toMatchObject({
      ok: false,
      code: 'InvalidArgument',
    });

    const bad = new MessageChannel();
    const badEnd = rendererEnd(bad.port2);
    db.watch(7, bad.port1);
    await badEnd.closed;
    expect(badEnd.messages).toEqual([
      { type: 'ended', code: 'InvalidArgument', message: expect.stringContaining('prefix') },
    ]);

    // Unwatching is closing the renderer's end; the watch then ends on the main side.
    const { port1, port2 } = new MessageChannel();
    const renderer = rendererEnd(port2);
    db.watch('notes/', port1);
    await db.handlers['db:put']('notes/a', { text: 'a' });
    await renderer.next(1);
    port2.close();
    await renderer.closed;
    await db.handlers['db:put']('notes/b', { text: 'b' });
    expect(renderer.messages).toHaveLength(1);
    await db.shutdown();
    expect((await db.server.exited).code).toBe(0);
  });

  it('reports a crashed server to the app, ends watches with Unavailable, still shuts down', async () => {
    let report: (exit: ServerExit) => void = () => undefined;
    const reported = new Promise<ServerExit>((resolve) => {
      report = resolve;
    });
    const db = await open((exit) => report(exit));
    const { port1, port2 } = new MessageChannel();
    const renderer = rendererEnd(port2);
    db.watch('notes/', port1);
    await db.handlers['db:put']('notes/c', { text: 'c' });
    await renderer.next(1);

    process.kill(db.server.pid, 'SIGKILL');
    expect(await reported).toMatchObject({ code: null, signal: 'SIGKILL', requested: false });
    // The renderer hears that changes may have been missed, then its port closes.
    await renderer.closed;
    expect(renderer.messages.at(-1)).toMatchObject({ type: 'ended', code: 'Unavailable' });
    await db.shutdown(); // nothing left to stop: it resolves
  });
});
