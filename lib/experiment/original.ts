// The original model of an experiment: trained from scratch on the training split (with biased labels on
// the forget set for the bias goal), stored under the hash of its full config and reused by every figure.
import { prepareData, type DataConfig } from './data';
import { createModel, forward } from '../models/model';
import type { ModelSpec } from '../models/types';
import { train, type TrainRecipe, type TrainHistory, type LossFn } from '../train/loop';
import { crossEntropy } from '../train/losses';
import { cached, type StoreEntry } from '../store/store';
import { evaluateModel, type ModelEvaluation } from './evaluate';
import type { ProgressSink } from '../notebook/progress';
import { UsageError } from '../util/errors';

/** Everything that determines an original model. */
export interface OriginalConfig {
  data: DataConfig;
  /** Architecture and width; numClasses/inputShape must match the data set. */
  model: ModelSpec;
  recipe: TrainRecipe;
  /** Seeds the splits (forget set), initialisation, batch order and augmentation. */
  seed: number;
}

/** What is stored with an original model. */
export interface OriginalResult { evaluation: ModelEvaluation; params: number; history: TrainHistory }

/** Mean cross-entropy on the phase's batch — the loss of ordinary training. */
export const crossEntropyLoss: LossFn = ({ model, batch }) => {
  const logits = forward(model, batch.x, { training: true });
  return { loss: crossEntropy(logits, batch.y), logits };
};

/** Throws a UsageError when a model spec does not fit the data set. */
export function checkSpecFits(spec: ModelSpec, numClasses: number, shape: [number, number, number]): void {
  if (spec.numClasses !== numClasses || spec.inputShape.join('x') !== shape.join('x')) {
    throw new UsageError(`model spec (${spec.numClasses} classes, input ${spec.inputShape.join('x')}) does not fit the data (${numClasses} classes, ${shape.join('x')} images)`);
  }
}

/** Options of a run (not part of the config: they do not change the result). */
export interface RunOptions { progress?: ProgressSink }

/**
 * Returns the stored original model for `config`, training it first if needed (resumable).
 * @example
 * const e = await trainOriginal(cfg); const model = loadEntryModel(e);
 */
export async function trainOriginal(config: OriginalConfig, run: RunOptions = {}): Promise<StoreEntry<OriginalConfig, OriginalResult>> {
  return cached<OriginalConfig, OriginalResult>('original', config, async (ctx) => {
    const d = await prepareData(config.data, config.seed);
    checkSpecFits(config.model, d.numClasses, d.shape);
    const model = createModel(config.model, config.seed);
    const history = await train(model, {
      ...config.recipe, seed: config.seed, label: `original ${config.model.arch} k=${config.model.k} seed=${config.seed}`,
      phases: [{ name: 'train', source: d.sources.train, loss: crossEntropyLoss }],
      progress: run.progress, checkpoint: ctx.checkpoint,
    });
    const params = Object.values(model.params).reduce((n, v) => n + v.size, 0);
    return { result: { evaluation: evaluateModel(model, d), params, history }, model };
  });
}
