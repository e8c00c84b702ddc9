// Byte layout of a channel's shared-memory segment (spec/transport.md#segment-layout). One
// segment per channel holds a header, a table of client slots and every slot's two rings, so
// a client maps exactly one object and nothing is left behind per client.
import { ringRegionBytes } from '../ring/ring-layout.ts';

/** `"PDBI"` read as a little-endian u32: the first word of every segment. */
export const SEGMENT_MAGIC = 0x49424450;
/** Version of this byte layout (not the message protocol version). */
export const LAYOUT_VERSION = 1;

/** Header words, as Int32 indices (byte offset / 4). */
export const HeaderWord = {
  magic: 0,
  layoutVersion: 1,
  protocolMin: 2,
  protocolMax: 3,
  serverPid: 4,
  serverStartLow: 6,
  serverStartHigh: 7,
  maxClients: 8,
  ringBytes: 9,
  maxFrameBytes: 10,
  slotTableOffset: 11,
  ringsOffset: 12,
  segmentBytes: 13,
  /** How many of the last slots are kept for operators (spec/transport.md#operator-slots). */
  operatorSlots: 14,
  /** Server state ({@link ServerState}); its own cache line, because it changes. */
  state: 64 / 4,
  /** The server's doorbell: clients add 1 and futex-wake it to wake the server. */
  doorbell: 128 / 4,
  /** Byte length of the channel name stored at {@link channelNameOffset}. */
  channelNameLength: 256 / 4,
} as const;

/** Where the channel name's UTF-8 bytes start. */
export const channelNameOffset = 260;
/** Longest channel name, in UTF-8 bytes. */
export const MAX_CHANNEL_NAME_BYTES = 200;
/** Where the slot table starts. */
export const slotTableStart = 512;
/** Bytes per slot entry: one cache line. */
export const slotBytes = 64;

/** Words of one slot entry, as Int32 indices from the slot's start. */
export const SlotWord = {
  state: 0,
  clientPid: 1,
  clientStartLow: 2,
  clientStartHigh: 3,
  generation: 4,
  /** The ErrorCode with which the server ended the session (state `Ended`). */
  endCode: 5,
  /** The client's doorbell: the server adds 1 and futex-wakes it to wake the client. */
  doorbell: 6,
} as const;

/** Life cycle of the server, in the header's `state` word. */
export const ServerState = {
  Starting: 0,
  Ready: 1,
  Stopping: 2,
  Stopped: 3,
} as const;
export type ServerState = (typeof ServerState)[keyof typeof ServerState];

/** Life cycle of a client slot (spec/transport.md#slot-states). */
export const SlotState = {
  /** Nobody owns it; its rings are reset. Clients claim it by compare-and-exchange. */
  Free: 0,
  /** A client claimed it and is filling in its identity. */
  Claimed: 1,
  /** The client wrote Hello into its request ring and waits for the server to adopt it. */
  Open: 2,
  /** The server serves it. */
  Serving: 3,
  /** The client left; the server resets and frees it. */
  Closed: 4,
  /** The server ended the session (reason in `endCode`); the client must store Closed. */
  Ended: 5,
} as const;
export type SlotState = (typeof SlotState)[keyof typeof SlotState];

/** Most client slots a segment may have. */
export const MAX_CLIENTS = 1024;
/** Largest segment, so every offset fits the header's 32-bit words and one JS buffer. */
export const MAX_SEGMENT_BYTES = 2 ** 31 - 1;

/** What a server chooses when it creates a channel. */
export interface SegmentGeometry {
  /** Number of client slots, the operators' included. */
  readonly maxClients: number;
  /**
   * How many of the last slots only operator clients claim (spec/transport.md#operator-slots);
   * default 0. Less than `maxClients`.
   */
  readonly operatorSlots?: number;
  /** Data bytes of each ring (a power of two, 4 KiB to 1 GiB). */
  readonly ringBytes: number;
}

/** Where everything of a segment lives. */
export interface SegmentLayout extends SegmentGeometry {
  readonly operatorSlots: number;
  readonly slotTableOffset: number;
  readonly ringsOffset: number;
  readonly segmentBytes: number;
}

/** Computes the layout for a geometry (rings start page-aligned after the slot table). */
export function segmentLayout(geometry: SegmentGeometry): SegmentLayout {
  const slotsEnd = slotTableStart + geometry.maxClients * slotBytes;
  const ringsOffset = Math.ceil(slotsEnd / 4096) * 4096;
  const segmentBytes = ringsOffset + geometry.maxClients * 2 * ringRegionBytes(geometry.ringBytes);
  return {
    ...geometry,
    operatorSlots: geometry.operatorSlots ?? 0,
    slotTableOffset: slotTableStart,
    ringsOffset,
    segmentBytes,
  };
}

/** Byte offset of a slot's request ring (client → server). */
export function requestRingOffset(layout: SegmentLayout, slot: number): number {
  return layout.ringsOffset + slot * 2 * ringRegionBytes(layout.ringBytes);
}

/** Byte offset of a slot's response ring (server → client: responses and events). */
export function responseRingOffset(layout: SegmentLayout, slot: number): number {
  return requestRingOffset(layout, slot) + ringRegionBytes(layout.ringBytes);
}
