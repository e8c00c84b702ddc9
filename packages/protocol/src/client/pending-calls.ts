// Requests in flight, matched by id (spec/messages.md#request-ids), with their deadlines. One
// timer serves every deadline: it is armed for the earliest one and re-armed after each sweep,
// which costs far less per request than a timer each.
import { IpcError } from '../errors.ts';
import type { Response } from '../gen/types.ts';
import { ErrorCode } from '../gen/types.ts';
import { responseError } from '../resume-too-old.ts';
import type { Platform } from '../transport/platform.ts';
import { now } from '../wire/clock.ts';
import { IdTable } from './id-table.ts';

/** One request waiting for its response. */
export interface PendingCall {
  /** The ResponseBody member that answers it on `Ok`. */
  readonly expect: string;
  /** When it fails with `Timeout` (ms on the {@link now} clock). */
  readonly deadline: number;
  settle(response: Response | undefined, error: IpcError | undefined): void;
}

/** The table of requests in flight. */
export class PendingCalls {
  private readonly calls = new IdTable<PendingCall>();
  private readonly platform: Platform;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(platform: Platform) {
    this.platform = platform;
  }

  get size(): number {
    return this.calls.size;
  }

  /** Registers `call` under `id` (ids come in sequence: see {@link IdTable}). */
  add(id: number, call: PendingCall): void {
    this.calls.set(id, call);
    if (call.deadline < this.timerAt) this.arm(call.deadline);
  }

  /** Removes and returns the call answered by `id`, if it is still waiting. */
  take(id: number): PendingCall | undefined {
    return this.calls.take(id);
  }

  /** Settles a response: the matching call gets its body or its error. */
  answer(response: Response): void {
    const call = this.take(Number(response.id));
    if (call === undefined) return; // timed out, aborted, or not ours: ignored (spec rule)
    if (response.code !== ErrorCode.Ok) {
      call.settle(undefined, responseError(response));
    } else if (response.body?.type !== call.expect) {
      call.settle(
        undefined,
        new IpcError(
          ErrorCode.Malformed,
          `expected ${call.expect}, the server answered ${response.body?.type ?? 'no body'}`,
        ),
      );
    } else {
      call.settle(response, undefined);
    }
  }

  /** Fails every call with `error` (the session is gone). */
  failAll(error: IpcError): void {
    const calls = this.calls.entries().map(([, call]) => call);
    this.calls.clear();
    this.disarm();
    for (const call of calls) call.settle(undefined, error);
  }

  /** Fails the calls whose deadline passed; returns the earliest deadline left. */
  sweep(): number {
    const t = now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const [id, call] of this.calls.entries()) {
      if (call.deadline <= t) {
        this.calls.take(id);
        call.settle(
          undefined,
          new IpcError(ErrorCode.Timeout, `no response within the timeout (request ${id})`),
        );
      } else if (call.deadline < earliest) {
        earliest = call.deadline;
      }
    }
    return earliest;
  }

  private arm(at: number): void {
    this.disarm();
    this.timerAt = at;
    this.cancelTimer = this.platform.setTimer(
      () => {
        this.cancelTimer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        const next = this.sweep();
        if (next !== Number.POSITIVE_INFINITY) this.arm(next);
      },
      Math.max(0, Math.ceil(at - now())),
    );
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
