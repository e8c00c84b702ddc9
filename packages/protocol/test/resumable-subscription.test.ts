// A client subscription that resumes after a reconnect (spec/messages.md#events, rule 11),
// against a scripted host: it subscribes again after the last seq it delivered, drops an
// event it already delivered, and ends with the error when resuming is impossible (turned
// off, a version 1 server, ResumeTooOld, a client that does not reconnect).
import { describe, expect, it } from 'vitest';
import type { SubscriptionSink } from '../src/client/answer-pump.ts';
import {
  ResumableSubscription,
  type SubscribeOptions,
  type SubscriptionHost,
} from '../src/client/resumable-subscription.ts';
import { ErrorCode, IpcError } from '../src/errors.ts';
import type { Event } from '../src/gen/types.ts';
import { ResumeTooOldError } from '../src/resume-too-old.ts';

type Opened = { since: bigint | undefined; sink: SubscriptionSink };

/** A host whose Subscribe answers come from `answers` (an error, or the seq to report). */
function scriptedHost(version: number, answers: (bigint | IpcError)[], reconnects = true) {
  const opened: Opened[] = [];
  const closed: bigint[] = [];
  let nextId = 1n;
  const host: SubscriptionHost = {
    async open(_prefix, since, sink) {
      opened.push({ since, sink });
      const answer = answers.shift() ?? 0n;
      if (answer instanceof IpcError) throw answer;
      return { subscriptionId: nextId++, seq: answer, protocolVersion: version };
    },
    async close(id) {
      closed.push(id);
    },
    reconnects: () => reconnects,
    pause: async () => {},
  };
  return { host, opened, closed };
}

function event(seq: bigint): Event {
  return { subscriptionId: 1n, seq, kind: 0, key: `k${seq}`, hlc: seq } as Event;
}

async function start(host: SubscriptionHost, options: SubscribeOptions = {}) {
  const seen: bigint[] = [];
  const ends: IpcError[] = [];
  const subscription = await new ResumableSubscription(
    host,
    '',
    (e: Event) => seen.push(e.seq),
    (e) => e,
    { ...options, onEnd: (error) => ends.push(error) },
  ).start(options.since, undefined);
  return { subscription, seen, ends };
}

const lost = new IpcError(ErrorCode.Unavailable, 'session lost');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a resumable subscription', () => {
  it('resumes after the last seq delivered, dropping what it had', async () => {
    const { host, opened } = scriptedHost(2, [10n, 12n]);
    const { subscription, seen, ends } = await start(host);
    expect(subscription.lastSeq).toBe(10n);
    opened[0]?.sink.event(event(11n));
    opened[0]?.sink.event(event(12n));
    opened[0]?.sink.end(lost);
    await settle();
    expect(opened.map((o) => o.since)).toEqual([undefined, 12n]);
    expect(subscription.id).toBe(2n);
    // The seam: an event at or before the last delivered is never delivered twice.
    opened[1]?.sink.event(event(12n));
    opened[1]?.sink.event(event(13n));
    expect(seen).toEqual([11n, 12n, 13n]);
    expect(ends).toEqual([]);
  });

  it('resumes from its start seq when it delivered nothing, and from since', async () => {
    const { host, opened } = scriptedHost(2, [7n, 9n]);
    const { ends } = await start(host, { since: 5n });
    opened[0]?.sink.end(lost);
    await settle();
    expect(opened.map((o) => o.since)).toEqual([5n, 5n]);
    expect(ends).toEqual([]);
  });

  it('tries again while the session keeps going, then resumes', async () => {
    const timeout = new IpcError(ErrorCode.Timeout, 'no session in time');
    const { host, opened } = scriptedHost(2, [3n, lost, timeout, 4n]);
    const { ends } = await start(host);
    opened[0]?.sink.end(lost);
    await settle();
    expect(opened.map((o) => o.since)).toEqual([undefined, 3n, 3n, 3n]);
    expect(ends).toEqual([]);
  });

  it('ends with ResumeTooOld, and its oldest seq, when the log no longer covers it', async () => {
    const tooOld = new ResumeTooOldError('pruned', 40n);
    const { host, opened } = scriptedHost(2, [3n, tooOld]);
    const { ends } = await start(host);
    opened[0]?.sink.end(lost);
    await settle();
    expect(ends).toEqual([tooOld]);
    expect(ends[0]?.code).toBe(ErrorCode.ResumeTooOld);
  });

  it('ends with the loss as before: resume off, a version 1 server, no reconnecting', async () => {
    for (const [version, options, reconnects] of [
      [2, { resume: false }, true],
      [1, {}, true],
      [2, {}, false],
    ] as const) {
      const { host, opened } = scriptedHost(version, [3n], reconnects);
      const { ends } = await start(host, options);
      opened[0]?.sink.end(lost);
      await settle();
      expect(opened).toHaveLength(1);
      expect(ends).toEqual([lost]);
    }
    // A server that went back to version 1 between sessions: the client refuses to send.
    const mismatch = new IpcError(ErrorCode.VersionMismatch, 'needs version 2');
    const { host, opened } = scriptedHost(2, [3n, mismatch]);
    const { ends } = await start(host);
    opened[0]?.sink.end(lost);
    await settle();
    expect(ends).toEqual([lost]);
  });

  it('a closed client ends it with Closed; unsubscribing stops resuming', async () => {
    const closedError = new IpcError(ErrorCode.Closed, 'closed');
    const first = scriptedHost(2, [3n]);
    const a = await start(first.host);
    first.opened[0]?.sink.end(closedError);
    expect(a.ends).toEqual([closedError]);
    const second = scriptedHost(2, [3n]);
    const b = await start(second.host);
    await b.subscription.unsubscribe();
    second.opened[0]?.sink.end(lost);
    await settle();
    expect(second.opened).toHaveLength(1);
    expect(second.closed).toEqual([1n]);
    expect(b.ends).toEqual([]);
  });
});
