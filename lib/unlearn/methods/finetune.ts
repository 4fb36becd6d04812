// Fine-tune: continue training on the retain set only (catastrophic forgetting baseline; Golatkar et al. 2020,
// Kurmanji et al. 2023). Does not use the forget set.
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { crossEntropyLoss } from '../../train/cross-entropy-loss';
import { baseSchema } from '../hyper-schema';

export const finetune: Method<BaseHyper> = {
  describe: 'fine-tune on retain with cross-entropy',
  usesForget: false,
  tuned: true,
  defaults: { lr: 0.01, epochs: 2 },
  schema: baseSchema,
  run: (original, data, hp, ctx) => trainCopy(original, [{ name: 'retain', source: data.retain, loss: crossEntropyLoss }], hp, ctx),
};
