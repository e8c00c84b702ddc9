// The runner's side of the driver protocol: spawns a driver process, sends commands, matches
// answers by id, collects pushed events, and bounds every command with a timeout so a hung
// driver fails its test instead of hanging the suite. Every line in either direction is held to
// the protocol's JSON Schema (driver-protocol.schema.json), so the written protocol and the
// drivers cannot drift apart.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type {
  AnswerLine,
  CallArgs,
  ChangeJson,
  DriverOps,
  EventLine,
  OpName,
  WireError,
} from './driver-protocol.ts';
import { driverSchema } from './driver-schema.ts';

/** How to start a driver. */
export interface DriverLaunch {
  /** Program and arguments. */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** An answer: the operation's value, or its error. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: WireError };

/** The arguments of `op` (with the common call arguments). */
export type ArgsOf<K extends OpName> = DriverOps[K]['args'] & CallArgs;

/** Default bound on one command's answer, in ms. */
const DEFAULT_COMMAND_TIMEOUT_MS = 20_000;
/** Most stderr kept for error messages. */
const STDERR_KEEP = 16_384;

interface Waiting {
  readonly op: string;
  /** The op whose `value.<op>` schema the answer's value must match; unset for a bad command. */
  readonly checkedOp: OpName | undefined;
  resolve(outcome: Outcome<unknown>): void;
  reject(error: Error): void;
  readonly timer: NodeJS.Timeout;
}

/** A running driver process. */
export class DriverClient {
  /** Answers that matched no command in flight (late, or with id null): driver mistakes. */
  readonly strays: AnswerLine[] = [];
  /** Output lines that were not JSON. */
  readonly noise: string[] = [];
  /** Lines that broke the protocol's schema and matched no command in flight (events, strays). */
  private readonly violations: string[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly changeLog = new Map<number, ChangeJson[]>();
  private readonly endLog = new Map<number, WireError[]>();
  /** How many changes of each subscription had arrived when its first end did. */
  private readonly changesAtEnd = new Map<number, number>();
  private paused = false;
  private nextId = 1;
  private stderrTail = '';
  private exitReason: string | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    /** A name for messages, e.g. `node` or `deno#2`. */
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_KEEP);
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) =>
      this.receive(line),
    );
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitReason = `exited with ${code ?? signal}`;
        this.failAll();
        resolve();
      });
    });
    // Writing to a driver that died is reported through its exit, not as an EPIPE crash.
    child.stdin?.on('error', () => {});
  }

  /** Starts a driver; fails when its program cannot be started (a missing runtime). */
  static async start(label: string, launch: DriverLaunch): Promise<DriverClient> {
    const [program, ...args] = launch.command;
    if (program === undefined) throw new Error(`${label}: the driver command is empty`);
    const child = spawn(program, args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // A process group of its own, so that pause() reaches the runtime itself: a launcher
      // (npm's `bun` and `deno` are a shell script and a Node script) runs it as a child.
      detached: true,
    });
    const started = once(child, 'spawn').then(
      () => undefined,
      (error: unknown) => {
        throw new Error(
          `${label}: cannot start driver \`${launch.command.join(' ')}\` in ${launch.cwd}: ${String(error)}`,
        );
      },
    );
    await started;
    return new DriverClient(label, child);
  }

  /**
   * Sends a command; resolves with its answer, rejects only when the driver fails to give one
   * or gives one that breaks the protocol's schema. A command that breaks the schema is the
   * runner's mistake: it is not sent.
   */
  call<K extends OpName>(
    op: K,
    args: ArgsOf<K>,
    timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ): Promise<Outcome<DriverOps[K]['value']>> {
    const command = { ...args, id: this.nextId++, op };
    const problem = driverSchema().commandProblem(command);
    if (problem !== undefined) {
      return Promise.reject(
        new Error(`${this.label}: the runner's ${op} command breaks the driver schema: ${problem}`),
      );
    }
    return this.send(command, op, timeoutMs) as Promise<Outcome<DriverOps[K]['value']>>;
  }

  /**
   * Sends a command that deliberately breaks the protocol (an unknown op, a missing argument),
   * to see the driver refuse it. Its answer must still be a well-formed answer line.
   */
  callMalformed(
    op: string,
    args: Readonly<Record<string, unknown>>,
    timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ): Promise<Outcome<unknown>> {
    return this.send({ ...args, id: this.nextId++, op }, undefined, timeoutMs);
  }

  private send(
    command: { readonly id: number; readonly op: string },
    checkedOp: OpName | undefined,
    timeoutMs: number,
  ): Promise<Outcome<unknown>> {
    const { id, op } = command;
    if (this.exitReason !== undefined) return Promise.reject(this.deadError(op));
    const promise = new Promise<Outcome<unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new Error(
            `${this.label}: no answer to ${op} (#${id}) within ${timeoutMs} ms${this.stderrNote()}`,
          ),
        );
      }, timeoutMs);
      this.waiting.set(id, { op, checkedOp, resolve, reject, timer });
    });
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    return promise;
  }

  /** Sends a command and returns its value; throws when it failed. */
  async ok<K extends OpName>(
    op: K,
    args: ArgsOf<K>,
    timeoutMs?: number,
  ): Promise<DriverOps[K]['value']> {
    const outcome = await this.call(op, args, timeoutMs);
    if (!outcome.ok) {
      throw new Error(
        `${this.label}: ${op} ${describeArgs(args)} failed: ${outcome.error.code}: ${outcome.error.message}`,
      );
    }
    return outcome.value;
  }

  /** Sends a deliberately malformed command that must fail; returns its error. */
  async failsMalformed(op: string, args: Readonly<Record<string, unknown>>): Promise<WireError> {
    const outcome = await this.callMalformed(op, args);
    if (outcome.ok) {
      throw new Error(
        `${this.label}: ${op} ${describeArgs(args)} succeeded (${JSON.stringify(outcome.value)?.slice(0, 200)}), expected an error`,
      );
    }
    return outcome.error;
  }

  /** Sends a command that must fail; returns its error, throws when it succeeded. */
  async fails<K extends OpName>(op: K, args: ArgsOf<K>, timeoutMs?: number): Promise<WireError> {
    const outcome = await this.call(op, args, timeoutMs);
    if (outcome.ok) {
      throw new Error(
        `${this.label}: ${op} ${describeArgs(args)} succeeded (${JSON.stringify(outcome.value)?.slice(0, 200)}), expected an error`,
      );
    }
    return outcome.error;
  }

  /** Writes a raw line to the driver (for testing the driver's own robustness). */
  sendRaw(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Changes pushed so far for subscription `handle`, in arrival order. */
  changes(handle: number): readonly ChangeJson[] {
    return this.changeLog.get(handle) ?? [];
  }

  /** Ends pushed for subscription `handle` (its session was lost or the client closed). */
  ends(handle: number): readonly WireError[] {
    return this.endLog.get(handle) ?? [];
  }

  /** Changes of subscription `handle` that arrived before its end; undefined before an end. */
  changesBeforeEnd(handle: number): number | undefined {
    return this.changesAtEnd.get(handle);
  }

  /** Freezes the driver's processes (SIGSTOP): its clients read nothing until {@link resume}. */
  pause(): void {
    if (this.exitReason !== undefined || this.paused) return;
    this.signalGroup('SIGSTOP');
    this.paused = true;
  }

  /** Lets a paused driver run again (SIGCONT). */
  resume(): void {
    if (!this.paused) return;
    this.signalGroup('SIGCONT');
    this.paused = false;
  }

  /** Closes stdin (the driver closes its clients and exits); kills it if it lingers. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exitReason !== undefined) return;
    this.resume();
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Throws when lines that matched no command (events, stray answers) broke the protocol's
   * schema since the last call; answers to commands fail their own command instead.
   */
  checkProtocol(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.splice(0);
    throw new Error(
      `${this.label}: ${lines.length} line(s) broke the driver schema (driver-protocol.schema.json):\n${lines.slice(0, 5).join('\n')}`,
    );
  }

  /** True while the driver process runs. */
  get alive(): boolean {
    return this.exitReason === undefined;
  }

  /** The last of the driver's stderr, for diagnostics. */
  get stderr(): string {
    return this.stderrTail;
  }

  private receive(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.noise.push(line);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) {
      this.noise.push(line);
      return;
    }
    const schema = driverSchema();
    if ('event' in parsed) {
      const problem = schema.eventProblem(parsed);
      if (problem === undefined) this.receiveEvent(parsed as EventLine);
      else this.violations.push(`${problem}\n  in: ${clip(line)}`);
      return;
    }
    const answer = parsed as AnswerLine;
    const waiting = typeof answer.id === 'number' ? this.waiting.get(answer.id) : undefined;
    if (!waiting) {
      const problem = schema.answerProblem(undefined, parsed);
      if (problem !== undefined) this.violations.push(`${problem}\n  in: ${clip(line)}`);
      this.strays.push(answer);
      return;
    }
    this.waiting.delete(answer.id as number);
    clearTimeout(waiting.timer);
    const problem = schema.answerProblem(waiting.checkedOp, parsed);
    if (problem !== undefined) {
      waiting.reject(
        new Error(
          `${this.label}: the answer to ${waiting.op} (#${answer.id}) breaks the driver schema (driver-protocol.schema.json): ${problem}\n  answer: ${clip(line)}`,
        ),
      );
      return;
    }
    waiting.resolve(
      answer.ok ? { ok: true, value: answer.value } : { ok: false, error: answer.error },
    );
  }

  private receiveEvent(line: EventLine): void {
    if ('change' in line) append(this.changeLog, line.event, line.change);
    else {
      if (!this.changesAtEnd.has(line.event))
        this.changesAtEnd.set(line.event, this.changes(line.event).length);
      append(this.endLog, line.event, line.end);
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, signal);
    } catch {
      // the group is gone: the driver exited
    }
  }

  private failAll(): void {
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(this.deadError(`${waiting.op} (#${id})`));
    }
    this.waiting.clear();
  }

  private deadError(what: string): Error {
    return new Error(
      `${this.label}: driver ${this.exitReason} before answering ${what}${this.stderrNote()}`,
    );
  }

  private stderrNote(): string {
    const tail = this.stderrTail.trim();
    return tail === ''
      ? ''
      : `\n--- driver stderr (last lines) ---\n${tail.split('\n').slice(-20).join('\n')}`;
  }
}

function append<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function clip(line: string): string {
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

function describeArgs(args: object): string {
  const text = JSON.stringify(args);
  return text.length > 160 ? `${text.slice(0, 160)}...}` : text;
}
