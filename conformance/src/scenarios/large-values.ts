// Large values end to end (fragmented across the rings), and the value limit: generated
// where they are sent, compared by digest, never carried through the JSON-lines pipe.
import { equal, expectCode } from '../harness/assertions.ts';
import { digestOf, generatedDocument } from '../harness/generated-value.ts';
import type { Scenario, ScenarioContext } from '../harness/scenario.ts';

const MIB = 1024 * 1024;
/** The server's default `--max-value-bytes`: a 64 MiB value is the largest it accepts. */
const DEFAULT_MAX_VALUE_BYTES = 64 * MIB;
/** The limit of the small server used to test refusals cheaply. */
const SMALL_LIMIT = 64 * 1024;
/** Bound on one command carrying 64 MiB (generate, send, store, read back, hash). */
const BIG_COMMAND_MS = 90_000;

/** The large-value scenarios. */
export const largeValueScenarios: readonly Scenario[] = [
  {
    name: '1 MiB value',
    async run(context) {
      await roundTrip(context, MIB, 1, 20_000);
    },
  },
  {
    // Each answer is 8 fragments through a 256 KiB ring, so the rings wrap around constantly:
    // a writer that padded a whole ring once hung here within ~100 reads.
    name: '300 reads of a 1 MiB value in a row',
    timeoutMs: 120_000,
    async run(context) {
      const k = await roundTrip(context, MIB, 2, 20_000);
      const expected = digestOf(generatedDocument(MIB, 2));
      for (let i = 0; i < 300; i++) {
        equal(await context.driver.ok('digest', { key: k }, 10_000), expected, `read ${i}`);
      }
    },
  },
  {
    name: '64 MiB value (the default limit, exactly)',
    timeoutMs: 240_000,
    async run(context) {
      const k = await roundTrip(context, DEFAULT_MAX_VALUE_BYTES, 64, BIG_COMMAND_MS);
      // Free the space again: later scenarios should not copy 64 MiB pages around.
      await context.driver.ok('delete', { key: k });
    },
  },
  {
    name: 'TooLarge for a value over the limit, nothing written',
    async run({ driver, startServer, connect }) {
      const server = await startServer({ maxValueBytes: SMALL_LIMIT });
      const client = 'small';
      await connect(client, server.channel);
      const atLimit = await driver.ok('putGenerated', {
        client,
        key: 'full',
        bytes: SMALL_LIMIT,
        seed: 7,
      });
      equal(atLimit, digestOf(generatedDocument(SMALL_LIMIT, 7)), 'a value of exactly the limit');
      expectCode(
        await driver.fails('putGenerated', {
          client,
          key: 'over',
          bytes: SMALL_LIMIT + 1,
          seed: 8,
        }),
        'TooLarge',
        'a new value one byte over the limit',
      );
      equal(
        await driver.ok('digest', { client, key: 'over' }),
        null,
        'the refused value was not written',
      );
      expectCode(
        await driver.fails('putGenerated', {
          client,
          key: 'full',
          bytes: SMALL_LIMIT + 1,
          seed: 9,
        }),
        'TooLarge',
        'replacing a value with one a byte over the limit',
      );
      expectCode(
        await driver.fails('patch', { client, key: 'full', value: { more: 'x' } }),
        'TooLarge',
        'a patch that would take the record over the limit',
      );
      // Over the session's frame limit (2 x limit + 1 MiB): refused before anything is sent.
      expectCode(
        await driver.fails('putGenerated', {
          client,
          key: 'over',
          bytes: 2 * SMALL_LIMIT + 2 * MIB,
          seed: 10,
        }),
        'TooLarge',
        'a value over the frame limit',
      );
      equal(
        await driver.ok('digest', { client, key: 'full' }),
        atLimit,
        'the record at the limit is unchanged',
      );
      equal(await driver.ok('ping', { client }), null, 'the session goes on');
    },
  },
];

/** Puts a generated value of `bytes` bytes, checks what comes back by digest; returns its key. */
async function roundTrip(
  { driver, key }: ScenarioContext,
  bytes: number,
  seed: number,
  timeoutMs: number,
): Promise<string> {
  const k = key(`${bytes}-bytes`);
  const expected = digestOf(generatedDocument(bytes, seed));
  equal(
    await driver.ok('putGenerated', { key: k, bytes, seed }, timeoutMs),
    expected,
    'what was sent',
  );
  equal(await driver.ok('digest', { key: k }, timeoutMs), expected, 'what came back');
  return k;
}
