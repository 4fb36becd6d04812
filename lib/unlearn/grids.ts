// The tuning grids of every method at every profile, as one visible table (SPEC "Validation-based tuning"):
// each profile's row is what its sweep trains; a figure config may override a method's lists (FigureRunConfig.grids).
import type { Grid } from './types';
import type { methods, MethodName } from './registry';
import { UsageError, pick } from '../util/errors';

/** A method's hyperparameter type, from its registry entry. */
export type HyperOf<M extends MethodName> = (typeof methods)[M] extends { defaults: infer H } ? H : never;
/** The tuned methods (retrain, the oracle, has no grid). */
export type TunedMethodName = Exclude<MethodName, 'retrain'>;
/** One grid per tuned method. */
export type GridTable = { [M in TunedMethodName]: Grid<HyperOf<M>> };
/** Per-method overrides of a profile's grids (a key's list replaces the table's; other keys keep it). */
export type GridOverrides = { [M in TunedMethodName]?: Grid<HyperOf<M>> };

// Sources (environment.md, "Tuning grids and their sources", has the same table): SCRUB and NegGrad+ from
// meghdadk/SCRUB's MIA_experiments.ipynb (its privacy run: CIFAR-10 ResNet-18, 100 forget examples; "MIA:<line>"
// below is a line of that file) and its other notebooks; ℓ1-sparse from OPTML-Group/Unlearn-Sparse. Values a
// reference does not set are ours (marked so). Scaling to `cpu`: an epoch there is 9,900 retain images / batch 64 =
// 155 steps (cpu-fmnist: 4,900 / 64 = 77) against the reference's ≈ 1,250 (39,900 / 32: it holds 20% of CIFAR-10's
// training images out for validation, SCRUB datasets.py:341), so learning rates go up to 10× the reference's.
// The cpu profile's row, shared by cpu-fmnist.
const cpuRow = {
  finetune: { lr: [0.005, 0.02, 0.05], epochs: [3] },
  gradAscent: { lr: [0.002, 0.005, 0.01, 0.02], epochs: [5, 10, 20] },
  negGradPlus: {
    lr: [0.01, 0.05], // MIA:912 (plain SGD, batch 32); 0.05: the effective step 0.005/(1 − 0.9) of the momentum grid it replaces
    epochs: [5], // MIA:911
    beta: [0.99, 0.9999], // MIA:910 (0.9999); 0.99: between it and small_scale_unlearning.ipynb:1411 (0.95), stronger forgetting
    momentum: [0], // MIA:463 (torch.optim.SGD without momentum)
    weightDecay: [0], // MIA:463 (weight_decay=0.0)
  },
  scrub: {
    lr: [0.0005, 0.005], // MIA:543; ×10 for our 8× (cpu-fmnist 16×) fewer retain steps per epoch
    epochs: [5], // MIA:542
    msteps: [3], // MIA:536
    alpha: [0.5, 0.001], // MIA:533 (privacy run); large_scale_unlearning.ipynb:728 (class forgetting: min-step ≈ fine-tuning)
    gamma: [1], // MIA:532
    T: [4], // MIA:539
    forgetBatch: [16], // MIA:884 (retain batch 32 at :883; ours is the original's 64)
  },
  scrubR: {
    lr: [0.0005, 0.005], // as SCRUB
    epochs: [5], // MIA:542; the rewinding picks among epochs 1–5
    msteps: [3], // MIA:536
    alpha: [0.5], // MIA:533: SCRUB+R is reported at the privacy weights only
    gamma: [1], // MIA:532
    T: [4], // MIA:539
    forgetBatch: [16], // MIA:884
  },
  l1Sparse: {
    lr: [0.01, 0.05], // Unlearn-Sparse README.MD:86; 0.05: the original's peak rate (issue 15, claim (c) with and without it)
    epochs: [10], // README.MD:86
    alpha: [5e-4, 2e-3], // ours: the reference leaves --alpha open (README.MD:86)
    batchSize: [256], // arg_parser.py:67 (39 steps an epoch on cpu, 20 on cpu-fmnist)
  },
  randomLabel: { lr: [0.001, 0.005], epochs: [1, 3] },
} satisfies GridTable;

export const grids = {
  // Every code path once, in seconds: one point per method.
  smoke: {
    finetune: { lr: [0.01], epochs: [1] },
    gradAscent: { lr: [0.001], epochs: [2] },
    negGradPlus: { lr: [0.01], epochs: [1], beta: [0.9] },
    scrub: { lr: [0.005], epochs: [2], msteps: [1] },
    scrubR: { lr: [0.005], epochs: [2], msteps: [1] },
    l1Sparse: { lr: [0.01], epochs: [1], alpha: [5e-4] },
    randomLabel: { lr: [0.01], epochs: [1] },
  },
  cpu: cpuRow,
  // The cpu row (issue 15 part 3): Fashion-MNIST at 5,000 training images is 4,900 retain images / batch 64 = 77 steps
  // an epoch, the same order as cpu's 155, so the same learning rates and epochs.
  'cpu-fmnist': cpuRow,
  paper: {
    finetune: { lr: [0.001, 0.01, 0.04], epochs: [2, 5, 10] },
    gradAscent: { lr: [0.0001, 0.0005, 0.002], epochs: [3, 10, 20] },
    negGradPlus: {
      lr: [0.01, 0.04], // MIA:912; ×4 for our batch 128 against its 32
      epochs: [5, 10], // MIA:911; small_scale_unlearning.ipynb:1412
      beta: [0.95, 0.99, 0.999, 0.9999], // small_scale_unlearning.ipynb:1411 … MIA:910
      momentum: [0], // MIA:463
      weightDecay: [0], // MIA:463
    },
    scrub: {
      lr: [0.0005, 0.002], // MIA:543; ×4 for our batch 128 against its 32
      epochs: [5, 10], // MIA:542; small_scale_unlearning.ipynb:425
      msteps: [3], // MIA:536
      alpha: [0.5, 0.001], // MIA:533; large_scale_unlearning.ipynb:728
      gamma: [1], // MIA:532
      T: [4], // MIA:539
      forgetBatch: [16], // MIA:884
    },
    scrubR: {
      lr: [0.0005, 0.002], // as SCRUB
      epochs: [5, 10], // as SCRUB
      msteps: [3], // MIA:536
      alpha: [0.5], // MIA:533
      gamma: [1], // MIA:532
      T: [4], // MIA:539
      forgetBatch: [16], // MIA:884
    },
    l1Sparse: {
      lr: [0.01, 0.1], // README.MD:86; 0.1: the original's peak rate (claim (c))
      epochs: [10], // README.MD:86
      alpha: [5e-5, 1e-4, 5e-4, 1e-3], // ours (the reference leaves --alpha open)
      batchSize: [256], // arg_parser.py:67
    },
    randomLabel: { lr: [0.001, 0.01, 0.04], epochs: [2, 5, 10] },
  },
} satisfies Record<string, GridTable>;

/**
 * The grid table of a profile; an unknown profile is an error (it names the profiles that have one).
 * @example
 * gridTable('cpu').l1Sparse; // { lr: [0.01, 0.05], epochs: [10], alpha: [5e-4, 2e-3], batchSize: [256] }
 */
export function gridTable(profile: string): GridTable {
  if (!profile) throw new UsageError('empty profile name for the grid table');
  return pick(grids, profile, 'grid table (profile without tuning grids in lib/unlearn/grids.ts)');
}

/**
 * A profile's grid of one method with the overrides applied (a key's list replaces the table's).
 * @example
 * methodGridOf('cpu', 'l1Sparse', { l1Sparse: { lr: [0.02] } }); // { lr: [0.02], epochs: [10], alpha: [5e-4, 2e-3], batchSize: [256] }
 */
export function methodGridOf(profile: string, method: TunedMethodName, overrides: GridOverrides = {}): Record<string, number[]> {
  for (const m of Object.keys(overrides))
    if (!(m in gridTable(profile)))
      throw new UsageError(`grid override for '${m}': not a tuned method; expected one of: ${Object.keys(gridTable(profile)).join(', ')}`);
  return { ...(gridTable(profile)[method] as Record<string, number[]>), ...((overrides[method] ?? {}) as Record<string, number[]>) };
}
