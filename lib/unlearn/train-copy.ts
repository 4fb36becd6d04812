// What every fine-tuning-style method shares: clone the original (never modify it), train the copy with
// the shared loop on the method's phases, at the original's batch size. The optimiser and schedule default to SGD
// with momentum 0.9 and weight decay 5e-4 at a constant learning rate; a method whose reference code trains
// otherwise passes its own (NegGrad+: plain SGD; SCRUB: ×0.1 at fixed epochs). The methods' cross-entropy is
// lib/train/cross-entropy-loss.ts, the one ordinary training uses.
import { cloneModel, disposeModel } from '../models/model';
import type { Model } from '../models/types';
import { train, type Phase } from '../train/loop';
import type { OptimizerConfig } from '../train/optimizer';
import type { ScheduleConfig } from '../train/schedule';
import type { BaseHyper, MethodContext } from './types';

/** Default optimiser of the unlearning runs (as the references: SGD with momentum). */
export const unlearnOptimizer: OptimizerConfig = { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 };
export const unlearnSchedule: ScheduleConfig = { kind: 'constant' };

/** How a method's copy trains, where it differs from the shared defaults. */
export interface CopyOptions {
  /** Optimiser (default `unlearnOptimizer`). */
  optimizer?: OptimizerConfig;
  /** Learning-rate schedule (default constant). */
  schedule?: ScheduleConfig;
  /** Batch size of phases that set none (default: the original's). */
  batchSize?: number;
  /** Awaited after each epoch (1-based) with the copy being trained. */
  afterEpoch?: (epoch: number, model: Model) => void | Promise<void>;
  /** Resume from / write ctx.checkpoint (default true; false for methods that keep state outside the model). */
  resumable?: boolean;
}

/**
 * Trains a copy of `original` on `phases` for hp.epochs at hp.lr; returns the copy.
 * @example
 * return trainCopy(original, [{ name: 'retain', source: data.retain, loss: crossEntropyLoss }], hp, ctx);
 */
export async function trainCopy(original: Model, phases: Phase[], hp: BaseHyper, ctx: MethodContext, o: CopyOptions = {}): Promise<Model> {
  const model = cloneModel(original);
  try {
    await train(model, {
      epochs: hp.epochs,
      batchSize: o.batchSize ?? ctx.originalRecipe.batchSize,
      lr: hp.lr,
      schedule: o.schedule ?? unlearnSchedule,
      optimizer: o.optimizer ?? unlearnOptimizer,
      seed: ctx.seed,
      phases,
      label: ctx.label,
      progress: ctx.progress,
      checkpoint: o.resumable === false ? undefined : ctx.checkpoint,
      afterEpoch: o.afterEpoch && ((epoch) => o.afterEpoch!(epoch, model)),
    });
  } catch (e) {
    disposeModel(model);
    throw e;
  }
  return model;
}
