// Every Wine quirk of the lane, in one place (/work/shared/PLATFORMS.md, "Windows under Wine"):
// Wine from Debian's packages, a prefix set to Windows 10 (Node exits 216 on Debian's default
// Windows 7), one persistent wineserver for the whole lane (a restart per program costs
// ~0.6 s), and Windows programs' output sent to files (node.exe cannot write to a Linux pipe).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Why the lane cannot run here (printed, and the lane is skipped), or undefined. */
export function ensureWine(log: (line: string) => void): string | undefined {
  if (onPath('wine') && onPath('wineserver')) return undefined;
  if (process.platform !== 'linux')
    return `Wine is not installed (and this is ${process.platform})`;
  if (!onPath('apt-get')) return 'Wine is not installed and there is no apt-get to install it';
  if (process.getuid?.() !== 0) return 'Wine is not installed and installing it needs root';
  log('installing Wine from Debian packages (apt-get update; apt-get install wine wine64)');
  // Another apt run on the machine holds the lock for a while: wait for it instead of failing.
  const apt = ['-o', 'DPkg::Lock::Timeout=600', '-y', '-q'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', [...apt, 'update'], { stdio: 'inherit', env });
  execFileSync('apt-get', [...apt, 'install', 'wine', 'wine64'], { stdio: 'inherit', env });
  return onPath('wine') ? undefined : 'apt-get installed Wine, but there is no `wine` command';
}

/** The environment of every Wine command of the lane. */
export function wineEnv(prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko installer dialogs while the prefix is created; nothing here needs them.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    ...extra,
  };
  // No display: Wine must not try to open windows.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** Version marker of a prefix the lane finished setting up. */
const PREFIX_READY = 'pluresdb-lane-ready';
const PREFIX_VERSION = 'win10 v1';

/** Creates the prefix once (`wineboot -i`, Windows 10); later runs only check its marker. */
export function ensurePrefix(prefix: string, log: (line: string) => void): void {
  const marker = join(prefix, PREFIX_READY);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === PREFIX_VERSION) return;
  mkdirSync(prefix, { recursive: true });
  log(`creating the Wine prefix ${prefix} (once; ~0.7 GB)`);
  const env = wineEnv(prefix);
  run('wineboot', ['-i'], env);
  run('wine', ['winecfg', '-v', 'win10'], env);
  // wineboot leaves the registry to a wineserver that writes it back when it exits.
  run('wineserver', ['-w'], env);
  writeFileSync(marker, PREFIX_VERSION);
}

/** Starts the lane's one persistent wineserver (`-p`); stop it with {@link stopWineserver}. */
export function startWineserver(prefix: string): void {
  // It forks into the background: its stdio must not be a pipe we wait on.
  const result = spawnSync('wineserver', ['-p'], { env: wineEnv(prefix), stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`wineserver -p failed (${result.status})`);
}

/** Stops the prefix's wineserver and every Windows process still running in it. */
export function stopWineserver(prefix: string): void {
  spawnSync('wineserver', ['-k'], { env: wineEnv(prefix), stdio: 'ignore' });
  spawnSync('wineserver', ['-w'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 30_000 });
}

/** A Windows program's run: where its output went. */
export interface WindowsRun {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or -1 when killed by a signal). */
  readonly exited: Promise<number>;
  readonly stdoutFile: string;
  readonly stderrFile: string;
}

/**
 * Starts a Windows program under Wine with stdout and stderr written to files
 * (`<logBase>.out`, `<logBase>.err`): a Linux pipe makes node.exe fail at its first write.
 */
export function startWindows(
  prefix: string,
  program: string,
  args: readonly string[],
  logBase: string,
  extraEnv: NodeJS.ProcessEnv = {},
): WindowsRun {
  const stdoutFile = `${logBase}.out`;
  const stderrFile = `${logBase}.err`;
  const out = openSync(stdoutFile, 'w');
  const err = openSync(stderrFile, 'w');
  const child = spawn('wine', [program, ...args], {
    env: wineEnv(prefix, extraEnv),
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  const exited = new Promise<number>((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code ?? -1));
  });
  return { child, exited, stdoutFile, stderrFile };
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
