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

export const grids = {
  smoke: {
    finetune: { lr: [0.01], epochs: [1] },
    gradAscent: { lr: [0.001], epochs: [2] },
    negGradPlus: { lr: [0.01], epochs: [1], beta: [0.9] },
    scrub: { lr: [0.005], epochs: [2], msteps: [1] },
    scrubR: { lr: [0.005], epochs: [2], msteps: [1] },
    l1Sparse: { lr: [0.01], epochs: [1], alpha: [5e-4] },
    randomLabel: { lr: [0.01], epochs: [1] },
  },
  cpu: {
    finetune: { lr: [0.005, 0.02, 0.05], epochs: [3] },
    gradAscent: { lr: [0.002, 0.005, 0.01, 0.02], epochs: [5, 10, 20] },
    negGradPlus: { lr: [0.002, 0.005], epochs: [3], beta: [0.9, 0.95, 0.99] },
    scrub: { lr: [0.005, 0.02], epochs: [3], msteps: [2, 3] },
    scrubR: { lr: [0.005, 0.02], epochs: [3], msteps: [2, 3] },
    l1Sparse: { lr: [0.02, 0.05], epochs: [3], alpha: [5e-4, 2e-3] },
    randomLabel: { lr: [0.001, 0.005], epochs: [1, 3] },
  },
  paper: {
    finetune: { lr: [0.001, 0.01, 0.04], epochs: [2, 5, 10] },
    gradAscent: { lr: [0.0001, 0.0005, 0.002], epochs: [3, 10, 20] },
    negGradPlus: { lr: [0.001, 0.01, 0.04], epochs: [2, 5, 10], beta: [0.8, 0.9, 0.95, 0.99] },
    scrub: { lr: [0.0005, 0.002, 0.005], epochs: [3, 5, 10], msteps: [1, 2, 3] },
    scrubR: { lr: [0.0005, 0.002, 0.005], epochs: [3, 5, 10], msteps: [1, 2, 3] },
    l1Sparse: { lr: [0.001, 0.01, 0.04], epochs: [5, 10], alpha: [5e-5, 1e-4, 5e-4, 1e-3] },
    randomLabel: { lr: [0.001, 0.01, 0.04], epochs: [2, 5, 10] },
  },
} satisfies Record<string, GridTable>;

/**
 * The grid table of a profile; an unknown profile is an error (it names the profiles that have one).
 * @example
 * gridTable('cpu').scrub; // { lr: [0.005, 0.02], epochs: [3], msteps: [2, 3] }
 */
export function gridTable(profile: string): GridTable {
  if (!profile) throw new UsageError('empty profile name for the grid table');
  return pick(grids, profile, 'grid table (profile without tuning grids in lib/unlearn/grids.ts)');
}

/**
 * A profile's grid of one method with the overrides applied (a key's list replaces the table's).
 * @example
 * methodGridOf('cpu', 'scrub', { scrub: { lr: [0.01] } }); // { lr: [0.01], epochs: [3], msteps: [2, 3] }
 */
export function methodGridOf(profile: string, method: TunedMethodName, overrides: GridOverrides = {}): Record<string, number[]> {
  for (const m of Object.keys(overrides))
    if (!(m in gridTable(profile)))
      throw new UsageError(`grid override for '${m}': not a tuned method; expected one of: ${Object.keys(gridTable(profile)).join(', ')}`);
  return { ...(gridTable(profile)[method] as Record<string, number[]>), ...((overrides[method] ?? {}) as Record<string, number[]>) };
}
