// A progress line on stderr, rewritten in place, only when stderr is a terminal (a log file or
// a pipe gets the final summary alone).
import { writeErr } from './closed-output.ts';

const EVERY_MS = 200;

/** "exported 120000 records", redrawn at most every 200 ms. */
export class ProgressLine {
  private readonly verb: string;
  private readonly enabled = process.stderr.isTTY === true;
  private lastAt = 0;
  private shown = false;

  constructor(verb: string) {
    this.verb = verb;
  }

  /** Shows `count` when the last redraw is old enough. */
  update(count: number): void {
    if (!this.enabled) return;
    const at = Date.now();
    if (at - this.lastAt < EVERY_MS) return;
    this.lastAt = at;
    this.shown = true;
    writeErr(`\r${this.verb} ${count} records\u001b[K`);
  }

  /** Removes the line (before another line is written to stderr). */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    this.lastAt = 0;
    writeErr('\r\u001b[K');
  }

  /** Removes the line for good. */
  done(): void {
    this.clear();
  }
}
