// Typed access to a channel segment (spec/transport.md#segment-layout). Every word that
// changes after creation goes through Atomics; the immutable header is validated once
// against the real size of the mapping, because the segment may have been written by anyone.
import { IpcError } from '../errors.ts';
import { ErrorCode } from '../gen/types.ts';
import { isValidRingCapacity } from '../ring/ring-layout.ts';
import { RingView } from '../ring/ring-view.ts';
import { decodeUtf8, encodeUtf8 } from '../wire/utf8.ts';
import {
  channelNameOffset,
  HeaderWord,
  LAYOUT_VERSION,
  MAX_CHANNEL_NAME_BYTES,
  MAX_CLIENTS,
  MAX_SEGMENT_BYTES,
  requestRingOffset,
  responseRingOffset,
  SEGMENT_MAGIC,
  type SegmentLayout,
  type ServerState,
  SlotState,
  SlotWord,
  segmentLayout,
  slotBytes,
} from './control-layout.ts';
import type { ProcessIdentity } from './platform.ts';

/** What the header says about the server that owns the segment. */
export interface SegmentHeader extends SegmentLayout {
  readonly protocolMin: number;
  readonly protocolMax: number;
  readonly server: ProcessIdentity;
  readonly maxFrameBytes: number;
  readonly channel: string;
}

/** Values a server writes into a new segment's header. */
export interface NewSegment {
  readonly layout: SegmentLayout;
  readonly protocolMin: number;
  readonly protocolMax: number;
  readonly server: ProcessIdentity;
  readonly maxFrameBytes: number;
  readonly channel: string;
}

/** Views over one channel segment. */
export class ControlView {
  /** The whole segment as words (for Atomics and futex calls). */
  readonly words: Int32Array;
  readonly buffer: ArrayBuffer;
  /** Where the segment starts in {@link buffer} (a SharedSegment's `byteOffset`). */
  readonly byteOffset: number;
  /** The segment's size in bytes. */
  readonly byteLength: number;

  /**
   * Views over the segment at `byteOffset` in `buffer` (every offset below is relative to
   * it; a caged binding maps it at a page boundary inside an ordinary buffer,
   * spec/transport.md#mapping-in-a-caged-runtime).
   */
  constructor(buffer: ArrayBuffer, byteOffset = 0, byteLength = buffer.byteLength - byteOffset) {
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.byteLength = byteLength;
    this.words = new Int32Array(buffer, byteOffset, Math.floor(byteLength / 4));
  }

  /** Writes the header of a freshly created (zeroed) segment; state stays `Starting`. */
  initialize(values: NewSegment): void {
    const w = this.words;
    const { layout } = values;
    const name = encodeUtf8(values.channel);
    Atomics.store(w, HeaderWord.serverPid, values.server.pid);
    Atomics.store(w, HeaderWord.serverStartLow, Number(values.server.start & 0xffffffffn) | 0);
    Atomics.store(w, HeaderWord.serverStartHigh, Number(values.server.start >> 32n) | 0);
    Atomics.store(w, HeaderWord.layoutVersion, LAYOUT_VERSION);
    Atomics.store(w, HeaderWord.protocolMin, values.protocolMin);
    Atomics.store(w, HeaderWord.protocolMax, values.protocolMax);
    Atomics.store(w, HeaderWord.maxClients, layout.maxClients);
    Atomics.store(w, HeaderWord.ringBytes, layout.ringBytes);
    Atomics.store(w, HeaderWord.maxFrameBytes, values.maxFrameBytes);
    Atomics.store(w, HeaderWord.slotTableOffset, layout.slotTableOffset);
    Atomics.store(w, HeaderWord.ringsOffset, layout.ringsOffset);
    Atomics.store(w, HeaderWord.segmentBytes, layout.segmentBytes);
    Atomics.store(w, HeaderWord.operatorSlots, layout.operatorSlots);
    Atomics.store(w, HeaderWord.channelNameLength, name.length);
    new Uint8Array(this.buffer, this.byteOffset + channelNameOffset, name.length).set(name);
    // The magic goes last: a reader that sees it sees a complete header.
    Atomics.store(w, HeaderWord.magic, SEGMENT_MAGIC);
  }

  /** The server's identity as recorded in the header (pid 0 while it is being written). */
  serverIdentity(): ProcessIdentity {
    const w = this.words;
    const low = BigInt(Atomics.load(w, HeaderWord.serverStartLow) >>> 0);
    const high = BigInt(Atomics.load(w, HeaderWord.serverStartHigh) >>> 0);
    return { pid: Atomics.load(w, HeaderWord.serverPid) >>> 0, start: (high << 32n) | low };
  }

  /** True once the header is complete (the magic is written last). */
  hasMagic(): boolean {
    return this.words.length > 0 && Atomics.load(this.words, HeaderWord.magic) === SEGMENT_MAGIC;
  }

  /**
   * Reads and checks the header against the mapping's real size, so no later offset can point
   * outside it. Throws `Unavailable` when the segment is not (yet) a valid channel.
   */
  readHeader(): SegmentHeader {
    const w = this.words;
    const fail = (why: string): never => {
      throw new IpcError(ErrorCode.Unavailable, `channel segment is not usable: ${why}`);
    };
    if (this.byteLength < 512 || !this.hasMagic()) fail('no PluresDB IPC header');
    const version = Atomics.load(w, HeaderWord.layoutVersion);
    if (version !== LAYOUT_VERSION)
      fail(`layout version ${version}, this client knows ${LAYOUT_VERSION}`);
    const maxClients = Atomics.load(w, HeaderWord.maxClients);
    const ringBytes = Atomics.load(w, HeaderWord.ringBytes);
    if (maxClients < 1 || maxClients > MAX_CLIENTS) fail(`slot count ${maxClients}`);
    if (!isValidRingCapacity(ringBytes)) fail(`ring size ${ringBytes}`);
    // 0 in segments of servers from before operator slots: the word was reserved (zero).
    const operatorSlots = Atomics.load(w, HeaderWord.operatorSlots);
    if (operatorSlots < 0 || operatorSlots >= maxClients)
      fail(`operator slot count ${operatorSlots}`);
    const layout = segmentLayout({ maxClients, ringBytes, operatorSlots });
    if (
      Atomics.load(w, HeaderWord.slotTableOffset) !== layout.slotTableOffset ||
      Atomics.load(w, HeaderWord.ringsOffset) !== layout.ringsOffset ||
      Atomics.load(w, HeaderWord.segmentBytes) !== layout.segmentBytes ||
      layout.segmentBytes > this.byteLength ||
      layout.segmentBytes > MAX_SEGMENT_BYTES
    ) {
      fail('offsets disagree with the segment size');
    }
    const maxFrameBytes = Atomics.load(w, HeaderWord.maxFrameBytes);
    if (maxFrameBytes <= 0) fail(`max frame size ${maxFrameBytes}`);
    const nameLength = Atomics.load(w, HeaderWord.channelNameLength);
    if (nameLength < 1 || nameLength > MAX_CHANNEL_NAME_BYTES) fail('bad channel name length');
    return {
      ...layout,
      protocolMin: Atomics.load(w, HeaderWord.protocolMin),
      protocolMax: Atomics.load(w, HeaderWord.protocolMax),
      server: this.serverIdentity(),
      maxFrameBytes,
      channel: decodeUtf8(
        new Uint8Array(this.buffer, this.byteOffset, this.byteLength),
        channelNameOffset,
        channelNameOffset + nameLength,
      ),
    };
  }

  state(): ServerState {
    return Atomics.load(this.words, HeaderWord.state) as ServerState;
  }

  setState(state: ServerState): void {
    Atomics.store(this.words, HeaderWord.state, state);
  }

  /** Int32 index of a word of slot `slot`'s entry. */
  slotWord(layout: SegmentLayout, slot: number, word: number): number {
    return (layout.slotTableOffset + slot * slotBytes) / 4 + word;
  }

  slotState(layout: SegmentLayout, slot: number): SlotState {
    return Atomics.load(this.words, this.slotWord(layout, slot, SlotWord.state)) as SlotState;
  }

  /** Moves a slot from `from` to `to` if it is still in `from`; true on success. */
  transition(layout: SegmentLayout, slot: number, from: SlotState, to: SlotState): boolean {
    const at = this.slotWord(layout, slot, SlotWord.state);
    return Atomics.compareExchange(this.words, at, from, to) === from;
  }

  /** The client identity written into a slot (pid 0 while the client is still claiming). */
  slotClient(layout: SegmentLayout, slot: number): ProcessIdentity {
    const w = this.words;
    const low = BigInt(Atomics.load(w, this.slotWord(layout, slot, SlotWord.clientStartLow)) >>> 0);
    const high = BigInt(
      Atomics.load(w, this.slotWord(layout, slot, SlotWord.clientStartHigh)) >>> 0,
    );
    const pid = Atomics.load(w, this.slotWord(layout, slot, SlotWord.clientPid)) >>> 0;
    return { pid, start: (high << 32n) | low };
  }

  /** Records the claiming client's identity and bumps the slot's generation. */
  setSlotClient(layout: SegmentLayout, slot: number, client: ProcessIdentity): void {
    const w = this.words;
    Atomics.store(
      w,
      this.slotWord(layout, slot, SlotWord.clientStartLow),
      Number(client.start & 0xffffffffn) | 0,
    );
    Atomics.store(
      w,
      this.slotWord(layout, slot, SlotWord.clientStartHigh),
      Number(client.start >> 32n) | 0,
    );
    Atomics.store(w, this.slotWord(layout, slot, SlotWord.clientPid), client.pid);
    Atomics.add(w, this.slotWord(layout, slot, SlotWord.generation), 1);
  }

  endCode(layout: SegmentLayout, slot: number): ErrorCode {
    return Atomics.load(this.words, this.slotWord(layout, slot, SlotWord.endCode)) as ErrorCode;
  }

  setEndCode(layout: SegmentLayout, slot: number, code: ErrorCode): void {
    Atomics.store(this.words, this.slotWord(layout, slot, SlotWord.endCode), code);
  }

  /** The request ring of a slot (client → server). */
  requestRing(layout: SegmentLayout, slot: number): RingView {
    const at = requestRingOffset(layout, slot);
    return new RingView(this.buffer, this.byteOffset + at, layout.ringBytes, this.byteOffset);
  }

  /** The response ring of a slot (server → client). */
  responseRing(layout: SegmentLayout, slot: number): RingView {
    const at = responseRingOffset(layout, slot);
    return new RingView(this.buffer, this.byteOffset + at, layout.ringBytes, this.byteOffset);
  }

  /**
   * Returns a slot to `Free`: zeroes its rings' control words and identity, then stores the
   * state last, so a client that claims it finds clean rings. Only the server calls this.
   */
  resetSlot(layout: SegmentLayout, slot: number): void {
    for (const ring of [this.requestRing(layout, slot), this.responseRing(layout, slot)]) {
      for (const word of [
        RingView.writeWord,
        RingView.readWord,
        RingView.readerSleepingWord,
        RingView.writerSleepingWord,
      ]) {
        Atomics.store(ring.control, word, 0);
      }
    }
    const w = this.words;
    for (const word of [
      SlotWord.clientPid,
      SlotWord.clientStartLow,
      SlotWord.clientStartHigh,
      SlotWord.endCode,
    ]) {
      Atomics.store(w, this.slotWord(layout, slot, word), 0);
    }
    Atomics.store(w, this.slotWord(layout, slot, SlotWord.state), SlotState.Free);
  }
}
