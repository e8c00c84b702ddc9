// The write side of the store (spec/crdt.md#durability). lmdb-js commits asynchronous writes
// in batches (one transaction per event turn) on its own thread; this queue adds what the CRDT
// layer needs on top:
// - an overlay of issued-but-uncommitted record versions (write-overlay.ts), so a write that
//   follows another write to the same key (before the first commits) builds on it instead of
//   on stale data;
// - commit order: every call's changes get sequence numbers when issued, and are
//   acknowledged and published to subscribers strictly in that order, once committed;
// - a checkpoint of the sequence number and the clock (clock-checkpoint.ts), so both keep
//   increasing across restarts without a metadata write per record;
// - commits in place, synchronously, for the writes of a server's pass (commitTogether);
// - the change log (change-log.ts): each change is logged under its seq in the transaction
//   that writes it, so a subscription can resume after a seq (spec/crdt.md#the-change-log).

import type { IpcError } from '@pluresdb-ipc/protocol';
import { BatchGroups } from './batch-groups.ts';
import type { Change, CurrentVersion } from './change.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { ChangeLog } from './change-log.ts';
import type { ChangeLogPruner } from './change-log-pruner.ts';
import { ClockCheckpoint } from './clock-checkpoint.ts';
import type { DataDir } from './data-dir.ts';
import { DiskFullGuard } from './disk-full-guard.ts';
import { FreeSpaceFloor, growthBound, onlyDeletes } from './free-space-floor.ts';
import type { HybridClock } from './hlc.ts';
import type { RangeDeletion } from './range-delete.ts';
import { storeError } from './store-errors.ts';
import type { WriteResult } from './types.ts';
import { WriteOverlay } from './write-overlay.ts';

interface Issued {
  readonly changes: readonly Change[];
  readonly firstSeq: number;
  readonly result: WriteResult;
  /** What it may add to the data file (counted as pending until it is settled). */
  readonly growth: number;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: IpcError) => void;
  /**
   * `failed` stops the queue: later writes may have been built on this one's versions in
   * other transactions. `refused` fails this write alone: its transaction held everything
   * built on it, and nothing of it was written.
   */
  state: 'pending' | 'committed' | 'failed' | 'refused';
  error?: unknown;
}

function noop(): void {}

/** Issues writes, tracks them until they commit, and acknowledges them in order. */
export class CommitQueue {
  readonly #data: DataDir;
  readonly #feed: ChangeFeed;
  readonly #log: ChangeLog;
  readonly #pruner: ChangeLogPruner;
  readonly #overlay: WriteOverlay;
  readonly #checkpoint: ClockCheckpoint;
  #issued: (Issued | undefined)[] = [];
  #head = 0;
  // How many entries were cut off the front of #issued so far (group positions are absolute).
  #trimmed = 0;
  readonly #batches = new BatchGroups((start, end, state, error) =>
    this.#settle(start, end, state, error),
  );
  #seq: number;
  // The seq of the latest change committed and published (the seam of a resumption).
  #committed: number;
  #failure: IpcError | undefined;
  #idle: (() => void)[] = [];
  #inFlight = 0;
  // While commitTogether holds writes: where its first one sits in the issued list (counted
  // as group positions are), else -1; and the changes held so far.
  #heldStart = -1;
  #held: Change[] = [];
  // While commitTogether holds writes: what it was told tells whether anything else waits.
  #nothingWaiting: (() => boolean) | undefined;
  readonly #inPlace: boolean;
  readonly #diskFull: DiskFullGuard;
  readonly #floor: FreeSpaceFloor;
  readonly #pageSize: number;
  // What issued writes not yet committed may add to the data file (see FreeSpaceFloor).
  #pendingGrowth = 0;
  // Work queued behind a range delete (see whenReady): how much, and the end of the chain.
  #gated = 0;
  #gate: Promise<void> = Promise.resolve();

  /**
   * @param inPlace whether writes may commit synchronously on the caller's thread (durability
   * `'process'`; with `'fsync'` that would hold the thread for the device's flush).
   */
  constructor(
    data: DataDir,
    feed: ChangeFeed,
    log: ChangeLog,
    pruner: ChangeLogPruner,
    clock: HybridClock,
    seqCeiling: number,
    inPlace: boolean,
  ) {
    this.#data = data;
    this.#feed = feed;
    this.#log = log;
    this.#pruner = pruner;
    this.#overlay = new WriteOverlay(data);
    this.#checkpoint = new ClockCheckpoint(data, clock, seqCeiling);
    this.#seq = seqCeiling;
    this.#committed = seqCeiling;
    this.#inPlace = inPlace;
    this.#diskFull = new DiskFullGuard(data.path);
    this.#floor = new FreeSpaceFloor(data.path);
    this.#pageSize = (data.env.getStats() as { pageSize?: number }).pageSize ?? 4096;
  }

  /** The error that stopped the queue after a failed commit; writes are refused after it. */
  get failure(): IpcError | undefined {
    return this.#failure;
  }

  /** Sequence number of the latest change issued. */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Sequence number of the latest change committed and published: every change up to it is in
   * the change log (or was pruned), every later one will be published.
   */
  get committedSeq(): number {
    return this.#committed;
  }

  /**
   * True when maintenance that only removes (change log pruning) and may add up to `bytes`
   * while doing so can commit now: the floor deletes keep near a full disk allows it.
   */
  admitsRemoval(bytes: number): boolean {
    return this.#floor.admit(bytes, true, this.#pendingGrowth) === undefined;
  }

  /** Writes issued and not yet acknowledged. */
  get pendingWrites(): number {
    return this.#inFlight;
  }

  /** The version of `id` writes must build on: the newest issued one, else the committed one. */
  read(id: string): CurrentVersion | undefined {
    return this.#overlay.read(id);
  }

  /** {@link issue} for a single change. */
  issueOne(change: Change): Promise<WriteResult> {
    return this.issue([change], { hlc: change.hlc, count: 1 });
  }

  /**
   * Writes `changes` in one transaction (all are issued in this event turn) and resolves with
   * `result` once they are committed per the durability mode and published to subscribers.
   */
  issue(changes: readonly Change[], result: WriteResult): Promise<WriteResult> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (changes.length === 0) return Promise.resolve(result);
    // Refused untried near a full disk: a commit LMDB fails to write damages lmdb-js's heap
    // (spec/crdt.md#durability).
    const growth = growthBound(changes, this.#pageSize);
    const refusal = this.#floor.admit(growth, onlyDeletes(changes), this.#pendingGrowth);
    if (refusal !== undefined) return Promise.reject(refusal);
    const holding = this.#heldStart >= 0;
    // A commitTogether call's writes commit at once, alone, until one is held: while nothing
    // else waits (its caller says), none would join their commit.
    if (
      holding &&
      this.#inFlight === 0 &&
      this.#held.length === 0 &&
      this.#nothingWaiting?.() === true
    )
      return this.#commitInPlace(changes, result);
    let last: Promise<boolean> | undefined;
    if (!holding) this.#checkpoint.write(this.#seq, changes.length);
    const firstSeq = this.#seq + 1;
    for (let k = 0; k < changes.length; k++) {
      const change = changes[k] as Change;
      if (holding) this.#held.push(change);
      else last = this.#write(change, firstSeq + k);
      this.#overlay.pin(change);
    }
    this.#seq += changes.length;
    this.#inFlight += changes.length;
    this.#pendingGrowth += growth;
    let resolve: (result: WriteResult) => void = noop;
    let reject: (error: IpcError) => void = noop;
    const promise = new Promise<WriteResult>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    const issued: Issued = {
      changes,
      firstSeq,
      result,
      growth,
      resolve,
      reject,
      state: 'pending',
    };
    this.#issued.push(issued);
    if (holding) return promise;
    this.#batches.add(last as Promise<boolean>, this.#trimmed + this.#issued.length);
    return promise;
  }

  /** True while a range delete (or work queued behind one) waits: see {@link whenReady}. */
  get gated(): boolean {
    return this.#gated > 0;
  }

  /**
   * Runs `issue` (which plans and issues writes) now, or, while a range delete waits for the
   * writes before it to commit, after that delete and whatever was queued before: a write
   * made after a range delete is planned on the records the delete leaves, in issue order
   * (spec/crdt.md#delete-range).
   */
  whenReady(issue: () => Promise<WriteResult>): Promise<WriteResult> {
    if (this.#gated === 0) return issue();
    // Boxed, so the chain moves on once the write is issued, not once it is committed.
    const issued = this.#gate.then(() => ({ result: issue() }));
    this.#chain(issued);
    return issued.then((box) => box.result);
  }

  /**
   * Deletes a range in one synchronous transaction, after every write issued before it has
   * committed (its changes follow theirs in commit order), with consecutive sequence numbers,
   * one per deleted record, in key order; publishes one event per record after the commit.
   */
  deleteRange(deletion: RangeDeletion): Promise<WriteResult> {
    const done = this.#gate.then(() => this.#deleteRangeWhenIdle(deletion));
    this.#chain(done);
    return done;
  }

  #chain(step: Promise<unknown>): void {
    this.#gated++;
    const next = (): void => {
      this.#gated--;
    };
    this.#gate = step.then(next, next);
  }

  async #deleteRangeWhenIdle(deletion: RangeDeletion): Promise<WriteResult> {
    // Writes issued before this one (held by commitTogether included) commit first.
    while (this.#inFlight > 0 || this.#heldStart >= 0) await this.idle();
    if (this.#failure !== undefined) throw this.#failure;
    const refusal = this.#diskFull.refusal() ?? this.#floor.admit(0, true, this.#pendingGrowth);
    if (refusal !== undefined) throw refusal;
    this.#checkpoint.mark();
    const firstSeq = this.#seq + 1;
    let deleted: ReturnType<RangeDeletion['deleteAll']>;
    try {
      deleted = this.#data.env.transactionSync(() => {
        // Each deleted record is logged under its own seq, in the same transaction.
        let seq = firstSeq;
        const made = deletion.deleteAll((change) => {
          this.#write(change, seq++);
        });
        this.#checkpoint.write(this.#seq, made.count);
        return made;
      });
    } catch (error) {
      this.#checkpoint.rollback();
      this.#diskFull.failed();
      throw storeError(error, this.#data.path, 'committing to');
    }
    this.#seq += deleted.count;
    this.#pruner.appended(deleted.count);
    if (this.#feed.size === 0) {
      this.#committed = this.#seq;
    } else {
      deletion.replay(deleted, (change, index) => {
        // As #published: committed before each publication (a listener may subscribe).
        this.#committed = firstSeq + index;
        this.#feed.publish(change, firstSeq + index);
      });
    }
    return { hlc: deleted.lastHlc, count: deleted.count };
  }

  /**
   * Runs `fn`; the writes it issues commit together, synchronously, in one transaction when it
   * returns (or throws), and are then published and acknowledged in order: a server wraps each
   * pass over its clients in this, so pipelined writes share a commit without waiting for
   * lmdb-js's batch thread. Writes are held only when none is in flight (older ones must
   * commit first) and the durability mode allows commits in place; otherwise `fn` just runs.
   * `nothingWaiting`, asked when `fn` issues a write while none is held, true commits that
   * write at once, alone, instead of holding it (a server: no other request waits to be read).
   */
  commitTogether<T>(fn: () => T, nothingWaiting?: () => boolean): T {
    if (!this.#inPlace || this.#heldStart >= 0 || this.#inFlight > 0) return fn();
    // No allocation for a call that writes nothing: a server makes one per pass.
    this.#heldStart = this.#trimmed + this.#issued.length;
    this.#nothingWaiting = nothingWaiting;
    try {
      return fn();
    } finally {
      const start = this.#heldStart;
      this.#heldStart = -1;
      this.#nothingWaiting = undefined;
      if (this.#held.length > 0) {
        const changes = this.#held;
        this.#held = [];
        this.#commitHeld(changes, start);
      }
    }
  }

  #commitHeld(changes: readonly Change[], start: number): void {
    const end = this.#trimmed + this.#issued.length;
    // Their sequence numbers were given out as they were issued (the last ones, in order):
    // the checkpoint covers them.
    const error = this.#commitSync(changes, 0, this.#seq - changes.length + 1);
    if (error === undefined) {
      this.#settle(start, end, 'committed', undefined);
      return;
    }
    // Nothing of it was written, and whatever was built on these writes is among them (they
    // were all issued in this call): they fail alone, as a lone write committed in place does,
    // and later writes are tried (a disk that was full may have room again). They were the
    // last writes issued, so their sequence numbers are given back.
    this.#seq -= changes.length;
    this.#settle(start, end, 'refused', error);
  }

  /**
   * Writes `changes` (seqs from `firstSeq` on) in one synchronous transaction, the checkpoint
   * first if the sequence numbers (`reserve` more than those given out) or the clock need it.
   * Returns the error when it aborted; then nothing of it, checkpoint included, was written.
   */
  #commitSync(changes: readonly Change[], reserve: number, firstSeq: number): IpcError | undefined {
    const refusal = this.#diskFull.refusal();
    if (refusal !== undefined) return refusal;
    this.#checkpoint.mark();
    try {
      this.#data.env.transactionSync(() => {
        this.#checkpoint.write(this.#seq, reserve);
        for (let k = 0; k < changes.length; k++) {
          void this.#write(changes[k] as Change, firstSeq + k);
        }
      });
      return undefined;
    } catch (error) {
      this.#checkpoint.rollback();
      this.#diskFull.failed();
      return storeError(error, this.#data.path, 'committing to');
    }
  }

  /**
   * Commits `changes` synchronously, in one transaction of their own, and publishes them: for
   * a write with none pending and (says the owner) none waiting, which would otherwise wait
   * ~50 µs for lmdb-js's batch to commit on its thread; in place it takes ~11 µs (noSync;
   * ~4 with the writable map).
   */
  #commitInPlace(changes: readonly Change[], result: WriteResult): Promise<WriteResult> {
    const firstSeq = this.#seq + 1;
    const error = this.#commitSync(changes, changes.length, firstSeq);
    if (error !== undefined) return Promise.reject(error);
    this.#seq += changes.length;
    this.#pruner.appended(changes.length);
    this.#published(changes, firstSeq);
    return Promise.resolve(result);
  }

  /**
   * Issues one change's put (and the removal of the version it replaces), then its change log
   * entry, whose promise settles with the transaction.
   */
  #write(change: Change, seq: number): Promise<boolean> {
    const { records, tombstones } = this.#data;
    const { id, bytes, live } = change;
    if (live) {
      records.put(id, bytes);
      if (change.from === 'tombstones') tombstones.remove(id);
    } else {
      tombstones.put(id, bytes);
      if (change.from === 'records') records.remove(id);
    }
    return this.#log.append(seq, change);
  }

  /** Marks `changes` (seqs from `firstSeq` on) committed and publishes them, in order. */
  #published(changes: readonly Change[], firstSeq: number): void {
    if (this.#feed.size === 0) {
      this.#committed = firstSeq + changes.length - 1;
      return;
    }
    for (let k = 0; k < changes.length; k++) {
      // Before the publication: a subscription started by a listener of this change reads
      // the log up to it, and is not among those this publication reaches.
      this.#committed = firstSeq + k;
      this.#feed.publish(changes[k] as Change, firstSeq + k);
    }
  }

  /** Marks the writes at positions [start, end) (see Group) finished, and drains the queue. */
  #settle(
    start: number,
    end: number,
    state: 'committed' | 'failed' | 'refused',
    error: unknown,
  ): void {
    // Indexes shift when the drained head is trimmed: positions are absolute.
    const base = this.#trimmed;
    for (let k = start - base; k < end - base; k++) {
      const issued = this.#issued[k];
      if (issued === undefined) continue;
      issued.state = state;
      issued.error = error;
    }
    this.#drain();
  }

  /**
   * Resolves once nothing is left: no range delete pending, nothing queued behind one, every
   * issued write acknowledged or failed (what closing waits for).
   */
  async drained(): Promise<void> {
    while (this.#gated > 0) await this.#gate;
    await this.idle();
  }

  /** Resolves once every issued write has been acknowledged or failed. */
  idle(): Promise<void> {
    if (this.#head === this.#issued.length) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  // Acknowledges finished writes from the head of the queue, so acknowledgements and events
  // follow issue order even if lmdb-js settles two promises of one transaction out of order.
  #drain(): void {
    const issuedList = this.#issued;
    while (this.#head < issuedList.length) {
      const issued = issuedList[this.#head] as Issued;
      if (issued.state === 'pending') break;
      issuedList[this.#head++] = undefined;
      this.#inFlight -= issued.changes.length;
      this.#pendingGrowth -= issued.growth;
      for (const change of issued.changes) this.#overlay.unpin(change.id);
      if (issued.state === 'committed') {
        // Counted once committed: a pruning step reads the committed log, so one run before
        // the commit would miss these entries and leave the log over its bounds.
        this.#pruner.appended(issued.changes.length);
        this.#published(issued.changes, issued.firstSeq);
        issued.resolve(issued.result);
      } else if (issued.state === 'refused') {
        issued.reject(storeError(issued.error, this.#data.path, 'committing to'));
      } else {
        // The overlay may now hold versions that never reached the disk: stop writing.
        this.#failure ??= storeError(issued.error, this.#data.path, 'committing to');
        issued.reject(this.#failure);
      }
    }
    if (this.#head === issuedList.length) {
      this.#trimmed += issuedList.length;
      this.#issued = [];
      this.#head = 0;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** The checkpoint to persist at close: the current sequence ceiling and clock. */
  finalCheckpoint(): string {
    return this.#checkpoint.final();
  }
}
