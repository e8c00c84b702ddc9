// The change feed (spec/crdt.md#subscriptions): committed changes go to every live subscriber
// whose prefix matches, synchronously and in commit order. Events are only built when some
// subscriber wants them, so an unwatched store pays nothing per write.
import type { Buffer } from 'node:buffer';
import { dataJson, decodeRecord } from './record-codec.ts';
import type { ClockEntry, JsonObject, StoreEvent, StoreListener } from './types.ts';

interface Subscriber {
  readonly prefix: string;
  readonly listener: StoreListener;
}

/** A committed change of one record, as the writer hands it to the feed. */
export interface CommittedChange {
  readonly id: string;
  readonly bytes: Buffer;
  readonly live: boolean;
  readonly hlc: bigint;
  readonly actor: string;
}

/** Fan-out of committed changes to subscribers. */
export class ChangeFeed {
  // Replaced, never mutated, so a listener that (un)subscribes mid-dispatch does not disturb
  // the iteration in progress: subscribers are those live when the change was published.
  #subscribers: readonly Subscriber[] = [];
  readonly #onError: (error: unknown, event: StoreEvent) => void;

  constructor(onError: (error: unknown, event: StoreEvent) => void) {
    this.#onError = onError;
  }

  /** Number of live subscriptions. */
  get size(): number {
    return this.#subscribers.length;
  }

  /** Adds a subscriber; returns the function that removes it (idempotent). */
  subscribe(prefix: string, listener: StoreListener): () => void {
    const subscriber: Subscriber = { prefix, listener };
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
    };
  }

  /** Removes every subscriber. */
  clear(): void {
    this.#subscribers = [];
  }

  /** Delivers one committed change to the matching subscribers. */
  publish(change: CommittedChange, seq: number): void {
    const subscribers = this.#subscribers;
    if (subscribers.length === 0) return;
    let event: ChangeEvent | undefined;
    for (const subscriber of subscribers) {
      if (!change.id.startsWith(subscriber.prefix)) continue;
      event ??= new ChangeEvent(change, seq);
      try {
        subscriber.listener(event);
      } catch (error) {
        this.#onError(error, event);
      }
    }
  }
}

/** The event of `change` committed as `seq` (data and clock decoded only when read). */
export function changeEvent(change: CommittedChange, seq: number): StoreEvent {
  return new ChangeEvent(change, seq);
}

/** A {@link StoreEvent} whose data and clock are decoded only when read. */
class ChangeEvent implements StoreEvent {
  readonly kind: 'upsert' | 'delete';
  readonly id: string;
  readonly seq: bigint;
  readonly hlc: bigint;
  readonly actor: string;
  readonly json: Uint8Array | undefined;
  readonly #bytes: Buffer;
  #data: JsonObject | undefined;
  #clock: readonly ClockEntry[] | undefined;

  constructor(change: CommittedChange, seq: number) {
    this.kind = change.live ? 'upsert' : 'delete';
    this.id = change.id;
    this.seq = BigInt(seq);
    this.hlc = change.hlc;
    this.actor = change.actor;
    this.#bytes = change.bytes;
    this.json = change.live ? dataJson(change.bytes) : undefined;
  }

  get data(): JsonObject | undefined {
    if (this.#data === undefined && this.json !== undefined) {
      this.#data = JSON.parse(dataJson(this.#bytes).toString('utf8')) as JsonObject;
    }
    return this.#data;
  }

  get clock(): readonly ClockEntry[] {
    this.#clock ??= decodeRecord(this.#bytes).clock;
    return this.#clock;
  }
}
