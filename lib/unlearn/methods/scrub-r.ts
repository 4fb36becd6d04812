// SCRUB+R (Kurmanji et al., NeurIPS 2023, the "rewinding" variant of their privacy experiments): SCRUB as in
// scrub.ts, then keep the model of the epoch whose forget error is closest to a validation target, so the forget
// set ends up looking like unseen data rather than maximally forgotten. As the reference (meghdadk/SCRUB
// MIA_experiments.ipynb, cell 18 `scrub()`): the forget error of every epoch's model, the target the *final*
// model's error on the validation examples of the classes present in the forget set (its forget-validation set,
// lines 600–604; the privacy goal's uniform forget set holds every class, so this is the validation error), and
// the first epoch with the smallest |forget error − target| (line 656, Python's `min`). Its candidates are the
// models after epochs 1…E: it saves a checkpoint after each epoch and has none of epoch 0 (the original).
import { cloneModel, disposeModel } from '../../models/model';
import type { Model } from '../../models/types';
import type { Method } from '../types';
import { trainCopy, unlearnOptimizer } from '../train-copy';
import { errorOf, predictionsOn } from '../source-predictions';
import { scrub, scrubPhases, scrubSchedule, type ScrubHyper } from './scrub';

/**
 * Index of the first error closest to `target` (non-finite errors never win; −1 when none is finite).
 * @example
 * closestToTarget([0.02, 0.3, 0.5, 0.45], 0.42); // 3
 */
export function closestToTarget(errors: readonly number[], target: number): number {
  let best = -1;
  errors.forEach((e, i) => {
    if (Number.isFinite(e) && (best < 0 || Math.abs(e - target) < Math.abs(errors[best] - target))) best = i;
  });
  return best;
}

export const scrubR: Method<ScrubHyper> = {
  describe: 'SCRUB+R: SCRUB, keeping the epoch whose forget error is closest to the validation error (Kurmanji et al. 2023)',
  usesForget: true,
  tuned: true,
  defaults: { ...scrub.defaults },
  schema: scrub.schema,
  async run(teacher, data, hp, ctx) {
    const epochs: Model[] = [];
    const forgetErrors: number[] = [];
    let forgetClasses: Set<number> | undefined;
    let last: Model | undefined;
    let kept: Model | undefined;
    try {
      // Not resumable: the earlier epochs' models live in memory only.
      last = await trainCopy(teacher, scrubPhases(teacher, data, hp), hp, ctx, {
        optimizer: unlearnOptimizer,
        schedule: scrubSchedule,
        resumable: false,
        afterEpoch: async (_, model) => {
          epochs.push(cloneModel(model));
          const p = await predictionsOn(model, data.evaluation.forget);
          forgetClasses ??= new Set(p.labels);
          forgetErrors.push(errorOf(p));
        },
      });
      const target = errorOf(await predictionsOn(last, data.evaluation.validation), forgetClasses);
      // No usable target (no validation example of the forget classes): plain SCRUB's final model.
      const i = Number.isFinite(target) ? closestToTarget(forgetErrors, target) : -1;
      kept = i < 0 ? last : epochs[i];
      return kept;
    } finally {
      for (const m of [...epochs, last]) if (m && m !== kept) disposeModel(m);
    }
  },
};
