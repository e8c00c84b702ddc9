// The server going away and coming back, refusing a session, or having no room: the codes a
// client reports (Unavailable, Unauthenticated, ServerFull) and its recovery.
import { check, equal, eventually, expectCode } from '../harness/assertions.ts';
import type { DriverClient } from '../harness/driver-client.ts';
import type { Scenario } from '../harness/scenario.ts';
import { freshChannel } from '../harness/server-control.ts';
import { toBase64 } from '../harness/wire-values.ts';
import { base64Of } from './text.ts';

/** The availability scenarios. */
export const availabilityScenarios: readonly Scenario[] = [
  {
    name: 'Unavailable when no server runs',
    async run({ driver, runtime, defer }) {
      const client = 'nobody';
      defer(() => driver.call('close', { client }).catch(() => undefined));
      const error = await driver.fails('connect', {
        client,
        channel: freshChannel(`${runtime.name}-unserved`),
        options: { connectTimeoutMs: 1_000 },
      });
      expectCode(error, 'Unavailable', 'connect to a channel nobody serves');
    },
  },
  {
    name: 'connect with waitForServer waits for a server that is starting',
    needs: ['waitForServer'],
    async run({ driver, startServer, defer }) {
      const server = await startServer();
      await server.stop();
      const client = 'patient';
      defer(() => driver.call('close', { client }).catch(() => undefined));
      // The connect is under way (no segment yet) when the server starts.
      const connecting = driver.call(
        'connect',
        { client, channel: server.channel, options: { waitForServer: 20_000 } },
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.start();
      const outcome = await connecting;
      check(
        outcome.ok,
        `connect waits for the server: ${outcome.ok ? '' : `${outcome.error.code}: ${outcome.error.message}`}`,
      );
      await driver.ok('put', { client, key: 'k', value: { v: 1 } });
      equal(await driver.ok('get', { client, key: 'k' }), { v: 1 }, 'a read after the wait');
    },
  },
  {
    name: 'connect with waitForServer fails with Unavailable once the time is up',
    needs: ['waitForServer'],
    async run({ driver, runtime, defer }) {
      const client = 'waiting';
      defer(() => driver.call('close', { client }).catch(() => undefined));
      const error = await driver.fails('connect', {
        client,
        channel: freshChannel(`${runtime.name}-never`),
        options: { waitForServer: 500 },
      });
      expectCode(error, 'Unavailable', 'connect that waited 500 ms for a server that never came');
    },
  },
  {
    name: "Unavailable with whileDisconnected 'fail', then reconnects",
    needs: ['reconnect'],
    async run({ driver, startServer, connect }) {
      const server = await startServer();
      const client = 'impatient';
      await connect(client, server.channel, {
        whileDisconnected: 'fail',
        reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      });
      await driver.ok('put', { client, key: 'kept', value: { v: 1 } });
      await server.stop();
      const started = Date.now();
      expectCode(
        await driver.fails('get', { client, key: 'kept' }),
        'Unavailable',
        'get after the server stopped',
      );
      check(Date.now() - started < 1_000, 'failing at once means well under a second');
      await server.start();
      await eventually(
        async () => (await driver.call('get', { client, key: 'kept' })).ok,
        'reconnected',
        10_000,
      );
      equal(
        await driver.ok('get', { client, key: 'kept' }),
        { v: 1 },
        'the data after the restart',
      );
    },
  },
  {
    name: 'reconnects after a clean restart, data intact',
    needs: ['reconnect'],
    async run({ driver, server, key }) {
      const k = key('durable');
      await driver.ok('put', { key: k, value: { v: 1 } });
      // Without resuming (resume.ts has the resumed one): it ends when the session is lost.
      const { handle } = await driver.ok('subscribe', { prefix: k, resume: false });
      await server.stop();
      await eventually(
        () => driver.ends(handle).length > 0,
        'the subscription ends when the server stops',
      );
      expectCode(
        driver.ends(handle)[0] ?? { code: '', message: '' },
        'Unavailable',
        'why the subscription ended',
      );
      await server.start();
      // With whileDisconnected 'wait' (the default) the next request waits for the reconnect.
      equal(
        await driver.ok('get', { key: k, timeoutMs: 10_000 }),
        { v: 1 },
        'the data after the restart',
      );
      await driver.ok('put', { key: `${k}/after`, value: { v: 2 } });
      equal(await driver.ok('get', { key: `${k}/after` }), { v: 2 }, 'writes work again');
      const again = await driver.ok('subscribe', { prefix: k });
      await driver.ok('patch', { key: k, value: { w: 2 } });
      await eventually(() => driver.changes(again.handle).length === 1, 'a new subscription works');
      await driver.ok('unsubscribe', { handle: again.handle });
    },
  },
  {
    name: 'reconnects after the server is killed',
    needs: ['reconnect'],
    async run({ driver, server, key }) {
      const k = key('crash');
      await driver.ok('put', { key: k, value: { v: 1 } });
      await server.kill();
      await server.start();
      // The first request may find the dead session and fail with Unavailable (its outcome
      // unknown); the client must then reconnect by itself.
      await eventually(
        async () => readAfterCrash(driver, k),
        'a read succeeds after the crash',
        10_000,
      );
      equal(await driver.ok('get', { key: k }), { v: 1 }, 'the data after the crash');
    },
  },
  {
    name: 'Unauthenticated with a missing or wrong secret',
    async run({ driver, startServer, connect, defer }) {
      const secret = new TextEncoder().encode('conformance secret \u{1F512}');
      const server = await startServer({ secret });
      const client = 'outsider';
      defer(() => driver.call('close', { client }).catch(() => undefined));
      expectCode(
        await driver.fails('connect', {
          client,
          channel: server.channel,
          options: { reconnect: { enabled: false } },
        }),
        'Unauthenticated',
        'connect without credentials',
      );
      expectCode(
        await driver.fails('connect', {
          client,
          channel: server.channel,
          options: { credentials: base64Of('wrong secret'), reconnect: { enabled: false } },
        }),
        'Unauthenticated',
        'connect with a wrong secret',
      );
      await connect('insider', server.channel, {
        credentials: toBase64(secret),
      });
      await driver.ok('put', { client: 'insider', key: 'k', value: { v: 1 } });
      equal(
        await driver.ok('get', { client: 'insider', key: 'k' }),
        { v: 1 },
        'with the right secret',
      );
    },
  },
  {
    name: 'ServerFull when every slot is taken',
    async run({ driver, startServer, connect, defer }) {
      const server = await startServer({ maxClients: 1 });
      await connect('first', server.channel);
      defer(() => driver.call('close', { client: 'second' }).catch(() => undefined));
      expectCode(
        await driver.fails('connect', { client: 'second', channel: server.channel }),
        'ServerFull',
        'a second client on a one-slot server',
      );
      await driver.ok('close', { client: 'first' });
      // The server frees a closed slot within its 250 ms sweep.
      await eventually(
        async () =>
          (await driver.call('connect', { client: 'second', channel: server.channel })).ok,
        'the slot is free again',
      );
      equal(await driver.ok('ping', { client: 'second' }), null, 'the second client works');
    },
  },
];

/** One read after a crash: true when it worked, false on Unavailable, throws otherwise. */
async function readAfterCrash(driver: DriverClient, key: string): Promise<boolean> {
  const outcome = await driver.call('get', { key, timeoutMs: 2_000 });
  if (outcome.ok) return true;
  expectCode(outcome.error, 'Unavailable', 'a read while the session is lost');
  return false;
}
