// Learning-rate schedules as pure functions of training progress (fraction of all steps done, or the epoch).

/** A schedule; `lr` is the peak/base learning rate. */
export type ScheduleConfig =
  | { kind: 'constant' }
  | { kind: 'cosine' }
  /** Linear decay to 0 over training. */
  | { kind: 'linear' }
  /** Multiply by `gamma` at each milestone (fractions of training, e.g. [0.5, 0.75]). */
  | { kind: 'step'; milestones: number[]; gamma: number }
  /**
   * Multiply by `gamma` from each milestone epoch on (0-based epochs, e.g. [3, 5, 9]: epochs 0–2 at lr, 3–4 at
   * gamma·lr, …), whatever the run's length — as SCRUB's `adjust_learning_rate` with its `lr_decay_epochs`.
   */
  | { kind: 'epochStep'; milestones: number[]; gamma: number };

/**
 * Learning rate after `done` of `total` steps, in (0-based) `epoch` (read by 'epochStep' only).
 * @example
 * lrAt({ kind: 'cosine' }, 0.1, 50, 100); // 0.05
 * lrAt({ kind: 'epochStep', milestones: [3, 5, 9], gamma: 0.1 }, 0.1, 0, 1, 4); // 0.01
 */
export function lrAt(schedule: ScheduleConfig, lr: number, done: number, total: number, epoch = 0): number {
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
    case 'epochStep':
      return lr * Math.pow(schedule.gamma, schedule.milestones.filter((m) => epoch >= m).length);
  }
}
