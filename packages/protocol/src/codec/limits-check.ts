// Whether a template's frames pass the verifier under the receiver's limits: a frame the
// template recognises must be one the verifier accepts (spec/messages.md#verification), and
// the limits (depth, table count, size) are the one thing its fixed words do not settle.
import { IpcError } from '../errors.ts';
import { verifyFrameBytes } from '../gen/verifiers.ts';
import type { VerifyLimits } from '../wire/verifier.ts';

/**
 * Whether a template's frames pass the verifier under given limits, checked on its sample
 * frames once per limits value, compared by value: each server session has its own limits
 * object, and sessions interleave.
 */
export class LimitsCheck {
  private readonly samples: readonly Uint8Array[];
  private maxBytes = -1;
  private maxDepth = -1;
  private maxTables = -1;
  private ok = false;

  constructor(samples: readonly Uint8Array[]) {
    this.samples = samples;
  }

  /** True when every sample passes the verifier under `limits`. */
  within(limits: VerifyLimits): boolean {
    if (
      limits.maxBytes !== this.maxBytes ||
      limits.maxDepth !== this.maxDepth ||
      limits.maxTables !== this.maxTables
    ) {
      this.maxBytes = limits.maxBytes;
      this.maxDepth = limits.maxDepth;
      this.maxTables = limits.maxTables;
      try {
        for (const sample of this.samples) verifyFrameBytes(sample, limits);
        this.ok = true;
      } catch (error) {
        if (!(error instanceof IpcError)) throw error;
        this.ok = false;
      }
    }
    return this.ok;
  }
}
