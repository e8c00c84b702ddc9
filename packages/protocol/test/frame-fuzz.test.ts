// Fuzzing the verifier and the frame decoder (issue #7). Jazzer.js installs here but its
// native fuzzer needs glibc 2.38, which this machine lacks, so this is a seeded mutation
// fuzzer: inputs from the committed corpus (test/fuzz-corpus: the golden vectors plus every
// crasher ever found) are mutated and fed to decodeFrame, which must return a frame or throw
// IpcError with code Malformed or TooLarge, and never hang. As a stand-in for coverage, an
// input that reaches a new verifier outcome (a new failure reason and place, or a newly
// accepted message type) joins the pool that later mutations start from. An accepted frame must
// also survive a round trip: encoding what was decoded and decoding it again gives the same
// value. A failing input is written to the corpus as crash-<hash>.bin.
// Long run: PLURESDB_LONG_TESTS=1 (20,000,000 executions); PLURESDB_TEST_SEED replays a seed.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IpcError } from '../src/errors.ts';
import { decodeFrame } from '../src/gen/readers.ts';
import { ErrorCode, type Frame } from '../src/gen/types.ts';
import { encodeFrame } from '../src/gen/writers.ts';
import { FrameBuilder } from '../src/wire/frame-builder.ts';
import { defaultVerifyLimits, type VerifyLimits } from '../src/wire/verifier.ts';
import { corpusDir, loadCorpus } from './fuzz/corpus.ts';
import { mutate, randomFrame, seededRandom } from './fuzz/frame-mutator.ts';

const long = process.env.PLURESDB_LONG_TESTS === '1';
const executions = long ? 20_000_000 : 200_000;
/** Longest any single decode may take: far above the microseconds a frame costs. */
const HANG_MS = 1_000;
/** Small limits some executions run with, so the size and nesting checks are reached too. */
const tightLimits: VerifyLimits = { maxBytes: 96, maxDepth: 2, maxTables: 6 };

/** What an execution reached: the failure's reason and place without byte offsets, or the type. */
function outcomeOf(frame: Frame | IpcError): string {
  if (IpcError.is(frame)) return frame.rawMessage.replace(/\d+/g, '#');
  const body = 'body' in frame.message.value ? frame.message.value.body : undefined;
  return `ok ${frame.message.type} ${body?.type ?? ''}`;
}

/**
 * Runs one input: returns the outcome, or throws an Error describing a bug (any throw other
 * than IpcError Malformed/TooLarge, or a round trip that changes the value).
 */
function execute(bytes: Uint8Array, limits: VerifyLimits, builder: FrameBuilder): string {
  let frame: Frame;
  try {
    frame = decodeFrame(bytes, limits);
  } catch (error) {
    if (
      IpcError.is(error) &&
      (error.code === ErrorCode.Malformed || error.code === ErrorCode.TooLarge)
    ) {
      return outcomeOf(error);
    }
    throw new Error(`decodeFrame threw ${String(error)}`, { cause: error });
  }
  const again = decodeFrame(encodeFrame(builder, frame).slice(), defaultVerifyLimits);
  expect(again).toEqual(frame);
  return outcomeOf(frame);
}

function saveCrasher(bytes: Uint8Array): string {
  const name = `crash-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`;
  writeFileSync(new URL(name, corpusDir), bytes);
  return name;
}

describe('frame fuzzing', () => {
  it('replays every corpus input without an unexpected exception', () => {
    const builder = new FrameBuilder(1024);
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(24);
    for (const bytes of corpus) {
      execute(bytes, defaultVerifyLimits, builder);
      execute(bytes, tightLimits, builder);
    }
  });

  it(`decodes or refuses ${executions.toLocaleString('en')} mutated and random frames`, () => {
    const seed = Number(process.env.PLURESDB_TEST_SEED ?? Date.now() % 2 ** 31);
    const random = seededRandom(seed);
    const builder = new FrameBuilder(1024);
    const pool = loadCorpus();
    const outcomes = new Set<string>();
    let accepted = 0;
    let slowest = 0;
    // Millions of refusals throw: without stack traces each costs a quarter as much.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const started = performance.now();
    for (let n = 0; n < executions; n++) {
      const base = pool[Math.floor(random() * pool.length)] as Uint8Array;
      const other = pool[Math.floor(random() * pool.length)] as Uint8Array;
      const bytes = random() < 0.05 ? randomFrame(random) : mutate(base, random, other);
      const limits = random() < 0.1 ? tightLimits : defaultVerifyLimits;
      const t = performance.now();
      let outcome: string;
      try {
        outcome = execute(bytes, limits, builder);
      } catch (error) {
        Error.stackTraceLimit = stackTraceLimit;
        const name = saveCrasher(bytes);
        throw new Error(`seed ${seed}, execution ${n}: saved ${name}: ${String(error)}`, {
          cause: error,
        });
      }
      slowest = Math.max(slowest, performance.now() - t);
      if (outcome.startsWith('ok')) accepted++;
      if (!outcomes.has(outcome)) {
        outcomes.add(outcome);
        pool.push(bytes.slice());
      }
    }
    const seconds = (performance.now() - started) / 1000;
    Error.stackTraceLimit = stackTraceLimit;
    console.log(
      `frame fuzzing (seed ${seed}): ${executions.toLocaleString('en')} executions in ${seconds.toFixed(1)} s ` +
        `(${Math.round(executions / seconds).toLocaleString('en')}/s), ${accepted} accepted, ` +
        `${outcomes.size} distinct outcomes, pool ${pool.length}, slowest ${slowest.toFixed(2)} ms`,
    );
    expect(slowest).toBeLessThan(HANG_MS);
    // The mutations reach deep: far more distinct verifier outcomes than the corpus alone.
    expect(outcomes.size).toBeGreaterThan(50);
  }, 3_600_000);
});
