// The geometry of the segment a server creates for its channel (spec/transport.md#segment-layout):
// the slots asked for, plus the ones kept for operators.
import { type SegmentLayout, segmentLayout } from '@pluresdb-ipc/protocol/transport';

/**
 * Slots kept for operators beyond `maxClients`, so that a full server can still be inspected
 * with `stats` or `ping` (spec/transport.md#operator-slots).
 */
export const OPERATOR_SLOTS = 1;

/** The layout of a server's segment with `maxClients` ordinary slots of `ringBytes` rings. */
export function channelLayout(options: { maxClients: number; ringBytes: number }): SegmentLayout {
  return segmentLayout({
    maxClients: options.maxClients + OPERATOR_SLOTS,
    ringBytes: options.ringBytes,
    operatorSlots: OPERATOR_SLOTS,
  });
}
