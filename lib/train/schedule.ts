// Learning-rate schedules as pure functions of training progress (fraction of all steps done).

/** A schedule; `lr` is the peak/base learning rate. */
export type ScheduleConfig =
  | { kind: 'constant' }
  | { kind: 'cosine' }
  /** Linear decay to 0 over training. */
  | { kind: 'linear' }
  /** Multiply by `gamma` at each milestone (fractions of training, e.g. [0.5, 0.75]). */
  | { kind: 'step'; milestones: number[]; gamma: number };

/**
 * Learning rate after `done` of `total` steps.
 * @example
 * lrAt({ kind: 'cosine' }, 0.1, 50, 100); // 0.05
 */
export function lrAt(schedule: ScheduleConfig, lr: number, done: number, total: number): number {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  switch (schedule.kind) {
    case 'constant':
      return lr;
    case 'cosine':
      return 0.5 * lr * (1 + Math.cos(Math.PI * f));
    case 'linear':
      return lr * (1 - f);
    case 'step':
      return lr * Math.pow(schedule.gamma, schedule.milestones.filter((m) => f >= m).length);
  }
}
