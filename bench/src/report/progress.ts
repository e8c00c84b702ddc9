// A progress line for the benchmark run: redrawn in place on a terminal, one plain line per
// step in CI logs. Writes only to the stream it is given.

/** What the progress line needs of its stream; `process.stdout` and `process.stderr` fit. */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** True on a terminal: the line is then redrawn in place with `\r`. */
  readonly isTTY?: boolean | undefined;
  /** The terminal's width; a redrawn line is cut to fit, so it never wraps. */
  readonly columns?: number | undefined;
}

/** A progress display; see {@link createProgress}. */
export interface Progress {
  /** Announces that the step called `label` starts; it is the next of the `total`. */
  step(label: string): void;
  /** Shows the final line and ends it; later calls of `step` and `done` do nothing. */
  done(): void;
}

/** Options for tests and callers with special needs. */
export interface ProgressOptions {
  /** The clock, in milliseconds; `Date.now` by default. */
  readonly now?: () => number;
  /** The number of cells in the bar; 20 by default. */
  readonly barWidth?: number;
}

/**
 * A duration as `5s`, `1m05s` or `1h02m03s`.
 *
 * @param ms milliseconds; rounded to whole seconds, negatives count as 0
 */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m${ss}s`;
  if (minutes > 0) return `${minutes}m${ss}s`;
  return `${seconds}s`;
}

/**
 * A rough remaining time as `~45s`, `~2m` or `~1h05m`: whole seconds under a minute, whole
 * minutes under an hour.
 *
 * @param ms milliseconds; negatives count as 0
 */
export function formatRemaining(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `~${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `~${minutes}m`;
  return `~${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * A one-line progress display for `total` steps:
 * `[#####...............] 12/48 label (elapsed 1m05s, ~2m left)`. The bar shows the steps
 * finished (those before the current one); the time left is the mean time of the finished
 * steps times the steps not finished, shown once one step has finished. On a TTY each call
 * redraws the line in place (`\r`, the line cut to the terminal's width, then spaces over what
 * is left of the previous line) and {@link Progress.done} ends it with a newline; on anything
 * else (CI logs, files, pipes) each call writes one plain line.
 *
 * @param total the number of steps expected; at least 0
 * @param stream where to write, typically `process.stderr`
 * @param options a clock and a bar width, for tests
 */
export function createProgress(
  total: number,
  stream: ProgressStream,
  options: ProgressOptions = {},
): Progress {
  const now = options.now ?? Date.now;
  const barWidth = Math.max(1, Math.floor(options.barWidth ?? 20));
  const tty = stream.isTTY === true;
  const start = now();
  let started = 0;
  let finished = false;
  let previousLength = 0;

  const bar = (completed: number): string => {
    const fraction = total > 0 ? Math.min(1, Math.max(0, completed / total)) : 1;
    const filled = Math.floor(fraction * barWidth);
    return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  };

  const write = (line: string, last: boolean): void => {
    if (!tty) {
      stream.write(`${line}\n`);
      return;
    }
    const columns = stream.columns;
    const fitted =
      columns !== undefined && columns > 1 && line.length > columns - 1
        ? line.slice(0, columns - 1)
        : line;
    const padding = ' '.repeat(Math.max(0, previousLength - fitted.length));
    stream.write(`\r${fitted}${padding}${last ? '\n' : ''}`);
    previousLength = last ? 0 : fitted.length;
  };

  return {
    step(label: string): void {
      if (finished) return;
      started += 1;
      const completed = started - 1;
      const elapsed = now() - start;
      const times = [`elapsed ${formatElapsed(elapsed)}`];
      if (completed > 0 && total > completed) {
        times.push(`${formatRemaining((elapsed / completed) * (total - completed))} left`);
      }
      const text = label.replace(/[\r\n]+/g, ' ');
      write(`${bar(completed)} ${started}/${total} ${text} (${times.join(', ')})`, false);
    },
    done(): void {
      if (finished) return;
      finished = true;
      const elapsed = formatElapsed(now() - start);
      write(`${bar(started)} ${started}/${total} done (elapsed ${elapsed})`, true);
    },
  };
}
