// The conformance suite's Node driver under each pinned Node LTS line (22, 24, 26), against a
// server on the machine's Node; test/clients.test.ts runs it under the machine's Node (20).
// vitest.config.ts runs this file in cage mode only (PLURESDB_IPC_ELECTRON_CAGE=1, which the
// driver and the server inherit): the cage-mode run under each line.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ELECTRON_CAGE_ENV } from '@pluresdb-ipc/client-node';
import { describe, expect, it } from 'vitest';
import { loadRuntime } from '../src/harness/runtime-files.ts';
import { describeRuntime } from '../src/harness/runtime-suite.ts';
import { nodeLines, nodeLinesUnavailable } from '../src/node-lines.ts';
import { runtimesDir } from '../src/paths.ts';

describe('the pinned Node lines', () => {
  it('each has a runtime file, and each runtime file a pinned line', () => {
    const files = readdirSync(join(runtimesDir, 'node-lines')).sort();
    expect(files).toEqual(nodeLines.map((line) => `${line.name}.json`).sort());
    expect(nodeLines.map((line) => line.name.replace('node-', ''))).toEqual(['22', '24', '26']);
  });

  it.skipIf(nodeLinesUnavailable !== undefined)('each binary is the version pinned', () => {
    for (const line of nodeLines) {
      expect(existsSync(line.execPath), `${line.execPath}: run the install`).toBe(true);
      const version = execFileSync(line.execPath, ['--version'], { encoding: 'utf8' }).trim();
      expect(version).toBe(`v${line.version}`);
    }
  });

  it.skipIf(nodeLinesUnavailable !== undefined)(
    'run in cage mode: the Node binding under each line sees it',
    () => {
      expect(process.env[ELECTRON_CAGE_ENV], 'run through vitest.config.ts').toBe('1');
      // The driver's own view: the binding's cageMode, read under the line with our environment.
      const script =
        "import('@pluresdb-ipc/client-node').then((m) => console.log(String(m.cageMode)))";
      for (const line of nodeLines) {
        const seen = execFileSync(line.execPath, ['-e', script], {
          cwd: join(runtimesDir, '..'),
          encoding: 'utf8',
        }).trim();
        expect(seen, line.name).toBe('true');
      }
    },
  );
});

if (nodeLinesUnavailable !== undefined) {
  console.log(`Node lines skipped: ${nodeLinesUnavailable}`);
} else {
  for (const line of nodeLines) describeRuntime(loadRuntime(line.runtimeFile));
}
