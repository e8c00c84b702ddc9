// Many requests in flight on one session: every answer reaches its own request.
import { equal } from '../harness/assertions.ts';
import type { Scenario } from '../harness/scenario.ts';
import { base64Of } from './text.ts';

const IN_FLIGHT = 256;

/** The pipelining scenarios. */
export const pipeliningScenarios: readonly Scenario[] = [
  {
    name: `${IN_FLIGHT} gets in flight`,
    async run({ driver, key }) {
      const keys = Array.from({ length: IN_FLIGHT }, (_, i) => key(`g${i}`));
      await driver.ok('batch', {
        writes: keys.map((k, i) => ({ kind: 'put' as const, key: k, value: { i, k } })),
      });
      // Every command is written before any answer is read.
      const answers = await Promise.all(keys.map((k) => driver.call('get', { key: k })));
      answers.forEach((answer, i) => {
        equal(answer, { ok: true, value: { i, k: keys[i] } }, `answer ${i}`);
      });
    },
  },
  {
    name: `${IN_FLIGHT} writes then ${IN_FLIGHT} mixed requests in flight`,
    async run({ driver, key }) {
      const keys = Array.from({ length: IN_FLIGHT }, (_, i) => key(`w${i}`));
      const writes = await Promise.all(
        keys.map((k, i) => driver.call('put', { key: k, value: { i } })),
      );
      writes.forEach((write, i) => {
        equal(write.ok && write.value.count, 1, `put ${i}`);
      });
      // Gets, getBytes, lists and pings interleaved: each answer has its own shape.
      const mixed = await Promise.all(
        keys.map((k, i) => {
          switch (i % 4) {
            case 0:
              return driver.call('get', { key: k });
            case 1:
              return driver.call('getBytes', { key: k });
            case 2:
              return driver.call('list', { prefix: k });
            default:
              return driver.call('ping', {});
          }
        }),
      );
      mixed.forEach((answer, i) => {
        const k = keys[i] as string;
        const expected = [
          { i },
          base64Of(JSON.stringify({ i })),
          { items: [{ key: k, value: { i } }], next: null },
          null,
        ][i % 4];
        equal(answer, { ok: true, value: expected }, `request ${i}`);
      });
    },
  },
];
