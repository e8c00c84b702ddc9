// The driver process interface itself: a third party's driver must survive bad input, so
// one broken command fails one check rather than the whole run.
import { check, equal, eventually, expectCode } from '../harness/assertions.ts';
import { DRIVER_ERROR } from '../harness/driver-protocol.ts';
import type { Scenario } from '../harness/scenario.ts';

/** The driver-interface scenario. */
export const driverScenarios: readonly Scenario[] = [
  {
    name: 'driver answers info and survives bad commands',
    async run({ driver }) {
      const info = await driver.ok('info', {});
      check(typeof info.runtime === 'string' && info.runtime !== '', 'info.runtime is named');
      check(typeof info.version === 'string' && info.version !== '', 'info.version is given');
      const strays = driver.strays.length;
      driver.sendRaw('this is not JSON');
      driver.sendRaw('{"op":"ping"}');
      await eventually(() => driver.strays.length >= strays + 2, 'answers with id null');
      for (const stray of driver.strays.slice(strays)) {
        equal(stray.id, null, 'a line without a usable id is answered with id null');
        check(!stray.ok, 'and with an error');
      }
      // Deliberately malformed commands: sent without the runner's schema check.
      expectCode(await driver.failsMalformed('nonexistent', {}), DRIVER_ERROR, 'an unknown op');
      expectCode(await driver.failsMalformed('get', {}), DRIVER_ERROR, 'get without a key');
      expectCode(
        await driver.failsMalformed('get', { key: 1 }),
        DRIVER_ERROR,
        'a key that is not a string',
      );
      expectCode(
        await driver.fails('get', { key: 'k', client: 'nobody' }),
        DRIVER_ERROR,
        'an unknown client',
      );
      expectCode(
        await driver.fails('unsubscribe', { handle: 999_999 }),
        DRIVER_ERROR,
        'an unknown subscription handle',
      );
      equal(await driver.ok('ping', {}), null, 'the driver still works');
      equal(driver.noise, [], 'stdout carries only JSON lines (logs belong on stderr)');
    },
  },
];
