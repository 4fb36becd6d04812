// What every fine-tuning-style method shares: clone the original (never modify it), train the copy with
// the shared loop (SGD, momentum 0.9, weight decay 5e-4, constant learning rate) on the method's phases. The
// methods' cross-entropy is lib/train/cross-entropy-loss.ts, the one ordinary training uses.
import { cloneModel, disposeModel } from '../models/model';
import type { Model } from '../models/types';
import { train, type Phase } from '../train/loop';
import type { OptimizerConfig } from '../train/optimizer';
import type { ScheduleConfig } from '../train/schedule';
import type { BaseHyper, MethodContext } from './types';

/** Optimiser of the unlearning runs (as the references: SGD with momentum). */
export const unlearnOptimizer: OptimizerConfig = { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 };
export const unlearnSchedule: ScheduleConfig = { kind: 'constant' };

/**
 * Trains a copy of `original` on `phases` for hp.epochs at hp.lr; returns the copy.
 * @example
 * return trainCopy(original, [{ name: 'retain', source: data.retain, loss: crossEntropyLoss }], hp, ctx);
 */
export async function trainCopy(original: Model, phases: Phase[], hp: BaseHyper, ctx: MethodContext): Promise<Model> {
  const model = cloneModel(original);
  try {
    await train(model, {
      epochs: hp.epochs,
      batchSize: ctx.originalRecipe.batchSize,
      lr: hp.lr,
      schedule: unlearnSchedule,
      optimizer: unlearnOptimizer,
      seed: ctx.seed,
      phases,
      label: ctx.label,
      progress: ctx.progress,
      checkpoint: ctx.checkpoint,
    });
  } catch (e) {
    disposeModel(model);
    throw e;
  }
  return model;
}
