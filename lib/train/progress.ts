// What long computations report while they run; sinks (terminal bar, live notebook output) live in lib/notebook.

/** One progress report. */
export interface ProgressEvent {
  label: string;
  step: number;
  total: number;
  epoch?: number;
  epochs?: number;
  phase?: string;
  loss?: number;
  acc?: number;
  etaSeconds?: number;
}

/** Receives progress; `done` closes the display with a summary line. */
export interface ProgressSink {
  update(e: ProgressEvent): void;
  done(summary: string): void;
}
