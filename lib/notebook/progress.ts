// Progress reporting for long loops: the ProgressSink interface, a terminal bar on stderr and a notebook
// display updated in place (the notebook side gets an update function from display.ts, never tslab itself).
// Both go silent once the run they report on is cancelled (lib/util/cancel.ts): nothing of a stopped cell
// shows up later in another cell's output.
import { escapeHtml } from './table';
import { isCancelled } from '../util/cancel';

export { silentProgress, formatDuration, type ProgressState, type ProgressSink } from '../util/progress';
import { formatDuration, type ProgressState, type ProgressSink } from '../util/progress';

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toFixed(4).replace(/\.?0+$/, '') || '0';
}

/** Accumulates updates (label/total carry over) and estimates the ETA from the elapsed time. */
export class ProgressTracker {
  private readonly startedAt = Date.now();
  state: ProgressState = { step: 0 };
  /** Whether any update arrived (a run with everything stored may report only its summary). */
  private updated = false;

  /** Merges an update into the current state. */
  apply(update: ProgressState): ProgressState {
    this.updated = true;
    this.state = {
      ...update,
      label: update.label ?? this.state.label,
      total: update.total ?? this.state.total,
    };
    return this.state;
  }

  /** Seconds since the tracker was created. */
  elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** The given ETA, or elapsed * (total - step) / step. */
  etaSeconds(): number | undefined {
    const { step, total, etaSeconds } = this.state;
    if (etaSeconds !== undefined) return etaSeconds;
    if (!total || step <= 0 || step >= total) return undefined;
    return (this.elapsedSeconds() * (total - step)) / step;
  }

  /** Fraction done in [0, 1], or undefined without a total. */
  fraction(): number | undefined {
    const { step, total } = this.state;
    return total ? Math.min(1, Math.max(0, step / total)) : undefined;
  }

  /** One line: `label  12/50  loss=0.4321 acc=0.91  elapsed 3s  eta 9s` (no step count before the first update). */
  describe(summary?: string): string {
    const s = this.state;
    const parts: string[] = [];
    if (s.label) parts.push(s.label);
    if (this.updated) parts.push(s.total ? `${s.step}/${s.total}` : `${s.step}`);
    const metrics: string[] = [];
    if (s.loss !== undefined) metrics.push(`loss=${formatNumber(s.loss)}`);
    if (s.acc !== undefined) metrics.push(`acc=${formatNumber(s.acc)}`);
    for (const [k, v] of Object.entries(s.extra ?? {})) metrics.push(`${k}=${typeof v === 'number' ? formatNumber(v) : v}`);
    if (metrics.length) parts.push(metrics.join(' '));
    parts.push(`elapsed ${formatDuration(this.elapsedSeconds())}`);
    const eta = summary === undefined ? this.etaSeconds() : undefined;
    if (eta !== undefined) parts.push(`eta ${formatDuration(eta)}`);
    if (summary) parts.push(summary);
    return parts.join('  ');
  }
}

/** Text bar of `width` cells for a fraction in [0, 1]. */
export function textBar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return '[' + '#'.repeat(filled) + '.'.repeat(width - filled) + ']';
}

/** Options of the terminal sink. */
export interface TerminalProgressOptions {
  /** Output stream; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Minimum ms between redraws on a terminal; default 100. */
  ttyIntervalMs?: number;
  /** Minimum ms between printed lines when the stream is not a terminal (logs, CI); default 10 s. */
  logIntervalMs?: number;
}

/**
 * Progress bar on a terminal (redrawn in place with `\r`), or one line every `logIntervalMs` when the
 * stream is a file or pipe, plus a final line from `done`.
 */
export function terminalProgress(options: TerminalProgressOptions = {}): ProgressSink {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY);
  const interval = tty ? (options.ttyIntervalMs ?? 100) : (options.logIntervalMs ?? 10_000);
  const tracker = new ProgressTracker();
  let last = 0;
  let finished = false;
  let drawn = false;

  const line = (summary?: string): string => {
    const f = tracker.fraction();
    return (f !== undefined ? textBar(f) + ' ' : '') + tracker.describe(summary);
  };
  return {
    update(state) {
      if (finished || isCancelled()) return;
      tracker.apply(state);
      const now = Date.now();
      if (now - last < interval) return;
      last = now;
      if (tty) {
        const cols = (stream as { columns?: number }).columns ?? 120;
        stream.write('\r\x1b[2K' + line().slice(0, Math.max(20, cols - 1)));
        drawn = true;
      } else {
        stream.write(line() + '\n');
      }
    },
    done(summary) {
      if (finished || isCancelled()) return;
      finished = true;
      stream.write((tty && drawn ? '\r\x1b[2K' : '') + line(summary ?? 'done') + '\n');
    },
  };
}

/** A MIME bundle for one notebook output (`text/plain` is always present). */
export type ProgressBundle = { 'text/plain': string; 'text/html'?: string };

/** Options of the notebook sink. */
export interface NotebookProgressOptions {
  /** Minimum ms between output updates (each is a kernel message); default 250. */
  intervalMs?: number;
}

/**
 * Progress shown as one notebook output updated in place. `render` replaces the output's content
 * (display.ts passes a tslab display handle). Throttled; the latest state is flushed by a timer and by `done`.
 */
export function notebookProgress(render: (bundle: ProgressBundle) => void, options: NotebookProgressOptions = {}): ProgressSink {
  const interval = options.intervalMs ?? 250;
  const tracker = new ProgressTracker();
  let last = 0;
  let pending: NodeJS.Timeout | undefined;
  let finished = false;

  const bundle = (summary?: string): ProgressBundle => {
    const f = tracker.fraction();
    const text = tracker.describe(summary);
    const bar = f !== undefined ? `<progress value="${f.toFixed(4)}" max="1" style="width:16em"></progress> ` : '';
    return {
      'text/plain': (f !== undefined ? textBar(f) + ' ' : '') + text,
      'text/html': `<div style="font-family:monospace">${bar}${escapeHtml(text)}</div>`,
    };
  };
  const flush = (): void => {
    if (pending) clearTimeout(pending);
    pending = undefined;
    if (isCancelled()) return;
    last = Date.now();
    render(bundle());
  };
  return {
    update(state) {
      if (finished || isCancelled()) return;
      tracker.apply(state);
      const wait = interval - (Date.now() - last);
      if (wait <= 0) flush();
      else if (!pending) {
        pending = setTimeout(flush, wait);
        pending.unref();
      }
    },
    done(summary) {
      if (finished || isCancelled()) return;
      finished = true;
      if (pending) clearTimeout(pending);
      render(bundle(summary ?? 'done'));
    },
  };
}
