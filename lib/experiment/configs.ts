// Builders of full configs from a profile: the one place that turns (profile, goal, width, seed) into the
// JSON config that keys the store, so the CLI, notebooks and sweeps address the same models.
import type { Profile } from './profiles';
import type { OriginalConfig } from './original';
import type { UnlearningGoal } from '../data/splits';
import { loadDataset } from './datasets';
import type { TrainRecipe } from '../train/loop';

/** What varies within a profile. */
export interface Cell {
  goal: UnlearningGoal;
  k: number;
  seed: number;
  arch?: string;
}

/**
 * The original-model config for one cell of a profile (`recipe` overrides the profile's training recipe).
 * @example
 * const cfg = await originalConfig(getProfile('smoke'), { goal: 'privacy', k: 8, seed: 0 });
 */
export async function originalConfig(profile: Profile, cell: Cell, recipe: Partial<TrainRecipe> = {}): Promise<OriginalConfig> {
  const { train } = await loadDataset(profile.data.dataset);
  return {
    data: { ...profile.data, split: { ...profile.data.split, goal: cell.goal } },
    model: {
      arch: cell.arch ?? profile.arch,
      k: cell.k,
      numClasses: train.classes.length,
      inputShape: [train.height, train.width, train.channels],
    },
    recipe: { ...profile.original, ...recipe },
    seed: cell.seed,
  };
}
