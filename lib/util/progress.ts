// The progress interface every long loop reports through (ProgressSink), a silent sink and the duration format;
// the terminal and notebook sinks that display it live in lib/notebook/progress.ts.

/** One progress report. Only `step` is required; send what you have. */
export interface ProgressState {
  /** What is running, e.g. 'train resnet18k k=16' or 'unlearn GA'. Kept from the previous update if omitted. */
  label?: string;
  /** Steps done so far (epochs, batches...). */
  step: number;
  /** Total steps, if known (enables the bar and the ETA estimate). Kept from the previous update if omitted. */
  total?: number;
  loss?: number;
  acc?: number;
  /** Seconds left; estimated from the elapsed time and `step/total` when omitted. */
  etaSeconds?: number;
  /** Further numbers or notes shown as `key=value`. */
  extra?: Record<string, number | string>;
}

/** Where a loop reports progress. The training loop depends only on this interface. */
export interface ProgressSink {
  /** Reports the current state; cheap to call often (output is throttled). */
  update(state: ProgressState): void;
  /** Marks the end: shows the final state plus an optional one-line summary. Later updates are ignored. */
  done(summary?: string): void;
}

/** A sink that drops everything (tests, quiet runs). */
export const silentProgress: ProgressSink = { update() {}, done() {} };

/** Formats seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
