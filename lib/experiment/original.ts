// The original model of an experiment: trained from scratch on the training split (with biased labels on
// the forget set for the bias goal), stored under the hash of its full config (with the data's fingerprint
// and the compute identity) and reused by every figure.
import { dataKey, prepareData, type DataConfig } from './data';
import { createModel } from '../models/model';
import type { ModelSpec } from '../models/types';
import { train, type TrainRecipe, type TrainHistory } from '../train/loop';
import { crossEntropyLoss } from '../train/cross-entropy-loss';
import { cached, type StoreEntry, type StoreOptions } from '../store/store';
import { computeFeatures, storeFeatures } from './features';
import type { ModelFeatures } from '../metrics/features';
import { disposeModel } from '../models/model';
import type { ProgressSink } from '../util/progress';
import { UsageError } from '../util/errors';
import { validateRecipe } from '../train/validate-recipe';
import { cancellable } from '../util/cancel';

/** Everything that determines an original model. */
export interface OriginalConfig {
  data: DataConfig;
  /** Architecture and width; numClasses/inputShape must match the data set. */
  model: ModelSpec;
  recipe: TrainRecipe;
  /** Seeds the splits (forget set), initialisation, batch order and augmentation. */
  seed: number;
}

/** What is stored with an original model (its per-example features are their own entry: lib/experiment/features.ts). */
export interface OriginalResult {
  params: number;
  history: TrainHistory;
}

/** Mean cross-entropy on the phase's batch — the loss of ordinary training (lib/train/cross-entropy-loss.ts; re-exported for importers). */
export { crossEntropyLoss };

/** Throws a UsageError when a model spec does not fit the data set. */
export function checkSpecFits(spec: ModelSpec, numClasses: number, shape: [number, number, number]): void {
  if (spec.numClasses !== numClasses || spec.inputShape.join('x') !== shape.join('x')) {
    throw new UsageError(
      `model spec (${spec.numClasses} classes, input ${spec.inputShape.join('x')}) does not fit the data (${numClasses} classes, ${shape.join('x')} images)`,
    );
  }
}

/** Options of a run (not part of the config: they do not change the result). */
export interface RunOptions {
  progress?: ProgressSink;
  /** When another process computes the same entry: wait (default) or throw a BusyError (sweeps come back later). */
  onBusy?: 'wait' | 'skip';
}

/** Store options of a run: the data's fingerprint in the key, and a note while waiting for another process. */
export async function storeOptions(data: DataConfig, run: RunOptions, what: string): Promise<StoreOptions> {
  return {
    context: await dataKey(data),
    onBusy: run.onBusy,
    onWait: (owner) => {
      const msg = `waiting for ${what}: computed by ${owner ? `pid ${owner.pid} on ${owner.host}` : 'another process'}`;
      if (run.progress) run.progress.update({ label: msg, step: 0 });
      else console.error(msg);
    },
  };
}

/**
 * Returns the stored original model for `config`, training it first if needed (resumable).
 * @example
 * const e = await trainOriginal(cfg); const model = loadEntryModel(e);
 */
export function trainOriginal(config: OriginalConfig, run: RunOptions = {}): Promise<StoreEntry<OriginalConfig, OriginalResult>> {
  // Cancellable (lib/util/cancel.ts): an interrupt stops the training at its next step; a re-run resumes.
  return cancellable(() => trainOriginalNow(config, run));
}

async function trainOriginalNow(config: OriginalConfig, run: RunOptions): Promise<StoreEntry<OriginalConfig, OriginalResult>> {
  validateRecipe(config.recipe);
  const label = `original ${config.model.arch} k=${config.model.k} seed=${config.seed}`;
  let features: ModelFeatures | undefined;
  const entry = await cached<OriginalConfig, OriginalResult>(
    'original',
    config,
    async (ctx) => {
      const d = await prepareData(config.data, config.seed);
      checkSpecFits(config.model, d.numClasses, d.shape);
      const model = createModel(config.model, config.seed);
      try {
        const history = await train(model, {
          ...config.recipe,
          seed: config.seed,
          label,
          phases: [{ name: 'train', source: d.sources.train, loss: crossEntropyLoss }],
          progress: run.progress,
          checkpoint: ctx.checkpoint,
        });
        const params = Object.values(model.params).reduce((n, v) => n + v.size, 0);
        features = await computeFeatures(model, d);
        return { result: { params, history }, model };
      } catch (e) {
        disposeModel(model);
        throw e;
      }
    },
    await storeOptions(config.data, run, label),
  );
  if (entry.computed && features) await storeFeatures(entry, config.data, config.seed, features);
  return entry;
}
