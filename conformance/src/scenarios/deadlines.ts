// Timeout and Aborted: produced by the client alone, against a server frozen with SIGSTOP
// (alive, so the client cannot blame its death, but answering nothing).
import { check, equal, expectCode } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';

/** The deadline and cancellation scenarios. */
export const deadlineScenarios: readonly Scenario[] = [
  {
    name: 'Timeout when the server does not answer in time',
    async run({ driver, server, key }) {
      const k = key('late');
      await driver.ok('put', { key: k, value: { v: 1 } });
      server.pause();
      const started = Date.now();
      const error = await driver.fails('get', { key: k, timeoutMs: 300 });
      const elapsed = Date.now() - started;
      expectCode(error, 'Timeout', 'get against a frozen server');
      check(elapsed >= 250, `the timeout fired early: ${elapsed} ms for a 300 ms timeout`);
      check(elapsed < 3_000, `the timeout fired late: ${elapsed} ms for a 300 ms timeout`);
      expectCode(
        await driver.fails('put', { key: k, value: { v: 2 }, timeoutMs: 200 }),
        'Timeout',
        'put against a frozen server',
      );
      server.resume();
      // The late answers are ignored; the session goes on.
      const value = await driver.ok('get', { key: k });
      check(value !== null, 'the record is still readable after the server resumes');
      equal(await driver.ok('ping', {}), null, 'ping after the timeouts');
    },
  },
  {
    name: 'the promise API leaves the event loop free while it waits',
    async run({ driver, server, key }) {
      server.pause();
      // Several requests wait at once, past the spin window and through futex sleeps.
      const waits = [1, 2, 3].map((n) =>
        driver.fails('get', { key: key(`wait-${n}`), timeoutMs: 700 }),
      );
      const gaps = await driver.ok('loopGaps', { durationMs: 500 });
      for (const wait of waits) expectCode(await wait, 'Timeout', 'get against a frozen server');
      server.resume();
      // A timer of 1 ms keeps firing: only the 200 µs spin window (in 50 µs slices) may delay it.
      // A wait that blocked the loop would stall it for a whole futex sleep (200 ms) or the
      // 700 ms timeout; the bounds leave room for a loaded machine's scheduling and GC pauses
      // (up to ~100 ms seen on 2 shared cores with the whole suite running) and no more.
      check(gaps.ticks >= 50, `a 1 ms timer fired only ${gaps.ticks} times in 500 ms`);
      check(
        gaps.maxGapMs < 150,
        `the event loop stalled for ${gaps.maxGapMs} ms while requests waited`,
      );
    },
  },
  {
    name: 'Timeout from sync variants',
    needs: ['sync'],
    async run({ driver, server, key }) {
      server.pause();
      const started = Date.now();
      const error = await driver.fails('get', { key: key('late'), timeoutMs: 300, sync: true });
      const elapsed = Date.now() - started;
      server.resume();
      expectCode(error, 'Timeout', 'getSync against a frozen server');
      check(elapsed >= 250 && elapsed < 3_000, `getSync timed out after ${elapsed} ms, not ~300`);
      equal(await driver.ok('ping', { sync: true }), null, 'pingSync after the timeout');
    },
  },
  {
    name: 'Aborted by an already aborted signal',
    needs: ['abort'],
    async run({ driver, key }) {
      const k = key('never-sent');
      expectCode(await driver.fails('get', { key: k, abortBefore: true }), 'Aborted', 'get');
      expectCode(
        await driver.fails('put', { key: k, value: { v: 1 }, abortBefore: true }),
        'Aborted',
        'put',
      );
      expectCode(await driver.fails('ping', { abortBefore: true }), 'Aborted', 'ping');
      equal(
        await driver.ok('get', { key: k }),
        null,
        'a write aborted before it was sent is not applied',
      );
    },
  },
  {
    name: 'Aborted while waiting for the answer',
    needs: ['abort'],
    async run({ driver, server, key }) {
      server.pause();
      const started = Date.now();
      const error = await driver.fails('get', {
        key: key('k'),
        abortAfterMs: 100,
        timeoutMs: 10_000,
      });
      const elapsed = Date.now() - started;
      server.resume();
      expectCode(error, 'Aborted', 'get aborted after 100 ms');
      check(elapsed < 3_000, `the abort took ${elapsed} ms to take effect`);
      equal(await driver.ok('ping', {}), null, 'ping after the abort');
    },
  },
];
