// Kernel object names on Windows (spec/transport.md#windows-segments): a channel's segment
// name (transport/segment-name.ts, the same on every OS) becomes a *locator* in the session's
// `Local\` namespace, which names the server's current *instance* mapping; the doorbells are
// events named after the instance and the word's offset. Named objects of every type share
// one namespace, so the suffixes keep a mapping and an event from ever taking the same name.

/** The `Local\` name of a channel's locator mapping: `Local\pdbi-<uid hex>-<hash>`. */
export function locatorName(segment: string): string {
  return `Local\\${segment.startsWith('/') ? segment.slice(1) : segment}`;
}

/** Longest instance tag a locator may hold. */
export const MAX_INSTANCE_TAG_BYTES = 64;

/** True for a well-formed instance tag (lowercase hex digits and dashes, 1 to 64 of them). */
export function isInstanceTag(tag: string): boolean {
  return tag.length >= 1 && tag.length <= MAX_INSTANCE_TAG_BYTES && /^[0-9a-f-]+$/.test(tag);
}

let created = 0;

/**
 * A tag no other instance of this channel has had: this process's id, a counter and the time,
 * in hex, so a server restarted in the same process (or after a pid was reused) never meets a
 * mapping its predecessor's clients still hold.
 */
export function newInstanceTag(pid: number, nowMs: number): string {
  created += 1;
  return `${(pid >>> 0).toString(16)}-${created.toString(16)}-${Math.floor(nowMs).toString(16)}`;
}

/** The `Local\` name of an instance mapping: the locator's name, `-i`, the tag. */
export function instanceName(locator: string, tag: string): string {
  return `${locator}-i${tag}`;
}

/** The `Local\` name of the event that stands for the doorbell word at `byteOffset`. */
export function doorbellEventName(instance: string, byteOffset: number): string {
  return `${instance}-w${byteOffset}`;
}
