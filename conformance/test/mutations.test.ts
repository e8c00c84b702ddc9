// The seeded mutation corpus (issue #2, item 4): every mutant of a golden vector is either
// rejected with IpcError(Malformed) or is a genuinely valid frame that decodes consistently.
import { ErrorCode, IpcError } from '@pluresdb-ipc/protocol';
import {
  decodeFrameUnchecked,
  encodeFrame,
  FrameBuilder,
  fromFlatcJson,
  verifyFrameBytes,
} from '@pluresdb-ipc/protocol/messages';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../packages/server-node/test/fixtures/seeded-random.ts';
import { parseBigintJson } from '../src/bigint-json.ts';
import { ReferenceFlatc } from '../src/flatc.ts';
import { mutate } from '../src/mutations.ts';
import { readVectorFiles } from '../src/vector-files.ts';

const seed = 0x5eed_2026;
const mutantCount = 12_000;
// The 1 MiB vector adds time, not coverage: its structure is the same as request-put's.
const bases = readVectorFiles().filter((v) => v.binary.length < 64 * 1024);

describe('mutation corpus', () => {
  it(`${mutantCount} seeded mutants are rejected with IpcError(Malformed) or decode as flatc reads them`, async () => {
    // Only accepted mutants go to flatc: it can loop forever on some malformed inputs.
    const flatc = await ReferenceFlatc.load();
    const random = new SeededRandom(seed);
    const builder = new FrameBuilder(1024);
    const tally = { rejected: 0, accepted: 0 };
    for (let i = 0; i < mutantCount; i++) {
      const base = random.pick(bases);
      const mutant = mutate(base.binary, random);
      const label = `mutant #${i} (${mutant.kind} of ${base.name}, seed ${seed})`;
      let accepted = true;
      try {
        verifyFrameBytes(mutant.bytes);
      } catch (error) {
        accepted = false;
        if (!IpcError.is(error) || error.code !== ErrorCode.Malformed) {
          throw new Error(`${label}: threw something other than IpcError(Malformed)`, {
            cause: error,
          });
        }
      }
      if (!accepted) {
        tally.rejected++;
        continue;
      }
      tally.accepted++;
      // Accepted bytes must be a real frame: flatc reads the same values from them, and they
      // re-encode and decode to the same values again.
      const decoded = decodeFrameUnchecked(mutant.bytes);
      expect(decoded, label).toEqual(fromFlatcJson(parseBigintJson(flatc.toJson(mutant.bytes))));
      const again = encodeFrame(builder, decoded);
      verifyFrameBytes(again);
      expect(decodeFrameUnchecked(again), label).toEqual(decoded);
    }
    console.log(
      `mutation corpus: ${tally.rejected} rejected, ${tally.accepted} accepted as valid frames`,
    );
    expect(tally.rejected + tally.accepted).toBe(mutantCount);
    // A verifier that accepted nearly everything would be checking nothing.
    expect(tally.rejected).toBeGreaterThan(mutantCount / 2);
  });
});
