// Random labels (Golatkar et al. 2020; "RL" in Jia et al. 2023): train on the forget set relabelled with
// random wrong classes (redrawn each pass), one retain batch alongside each step.
import * as tf from '@tensorflow/tfjs-core';
import type { BaseHyper, Method } from '../types';
import { trainCopy } from '../train-copy';
import { crossEntropyOn } from '../../train/cross-entropy-loss';
import { baseSchema } from '../hyper-schema';
import { randomWrongLabels } from '../relabel';

export const randomLabel: Method<BaseHyper> = {
  describe: 'random labels: CE on forget with random wrong labels + CE on retain',
  usesForget: true,
  tuned: true,
  defaults: { lr: 0.01, epochs: 2 },
  schema: baseSchema,
  run: (original, data, hp, ctx) =>
    trainCopy(
      original,
      [
        {
          name: 'retain',
          source: data.retain,
          extra: { forget: randomWrongLabels(data.forget, data.numClasses) },
          loss: ({ model, batch, extra }) => {
            const r = crossEntropyOn(model, batch);
            const f = crossEntropyOn(model, extra.forget);
            return { loss: tf.add(r.loss, f.loss) as tf.Scalar, logits: r.logits };
          },
        },
      ],
      hp,
      ctx,
    ),
};
