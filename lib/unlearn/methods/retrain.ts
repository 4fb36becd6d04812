// Retrain from scratch on the retain set with the original's recipe: the oracle every unlearned model is
// compared with (exact unlearning). Hyperparameters are not tuned: the original recipe applies.
import { createModel, disposeModel } from '../../models/model';
import { train } from '../../train/loop';
import type { BaseHyper, Method } from '../types';
import { crossEntropyLoss } from '../../train/cross-entropy-loss';
import { fixed } from '../hyper-schema';

export const retrain: Method<BaseHyper> = {
  describe: 'retrain from scratch on retain with the original recipe (oracle)',
  usesForget: false,
  tuned: false,
  defaults: { lr: 0, epochs: 0 },
  // Not tuned: the original's recipe applies, so no `--hp` is accepted and the defaults are placeholders.
  schema: { lr: fixed(0), epochs: fixed(0) },
  async run(original, data, _hp, ctx) {
    const model = createModel(original.spec, ctx.seed);
    try {
      await train(model, {
        ...ctx.originalRecipe,
        seed: ctx.seed,
        label: ctx.label,
        progress: ctx.progress,
        checkpoint: ctx.checkpoint,
        phases: [{ name: 'retain', source: data.retain, loss: crossEntropyLoss }],
      });
    } catch (e) {
      disposeModel(model);
      throw e;
    }
    return model;
  },
};
