// One unlearning run of an experiment: (original config, method, hyperparameters) → an unlearned model
// stored with its per-example features; the retrained oracle is the `retrain` method (one per width and seed).
import { prepareData, type ExperimentData } from './data';
import { storeOptions, trainOriginal, type OriginalConfig, type RunOptions } from './original';
import { cached, loadEntryModel, type StoreEntry } from '../store/store';
import { disposeModel } from '../models/model';
import type { Model } from '../models/types';
import { methodOf, methods, type MethodName } from '../unlearn/registry';
import { pick } from '../util/errors';
import { resolveHyper } from '../unlearn/hyper-schema';
import { computeFeatures, storeFeatures } from './features';
import type { ModelFeatures } from '../metrics/features';
import type { UnlearnData } from '../unlearn/types';
import { batchSource } from '../data/batches';

/** Everything that determines an unlearned model. */
export interface UnlearnConfig {
  original: OriginalConfig;
  method: MethodName;
  /** The method's hyperparameters (retrain: {}; its recipe is the original's). */
  hp: Record<string, number>;
}

/** What is stored with an unlearned model (its per-example features are their own entry: lib/experiment/features.ts). */
export interface UnlearnResult {
  seconds: number;
}

/**
 * Builds the config of a run, filling the method's defaults and checking every hyperparameter against the
 * method's schema (unknown keys and out-of-range values are UsageErrors, raised before any work).
 * @example
 * unlearnConfig(orig, 'scrub', { lr: 0.005 }); // { original: orig, method: 'scrub', hp: { lr: 0.005, epochs: 3, ... } }
 */
export function unlearnConfig(original: OriginalConfig, method: string, hp: Record<string, number> = {}): UnlearnConfig {
  return { original, method: method as MethodName, hp: resolveHyper(method, pick(methods, method, 'unlearning method'), hp) };
}

/**
 * The unlearning data view of an experiment: the training sources of retain and forget, and unshuffled, unaugmented
 * views of forget (training labels) and validation (true labels) for methods that select by error (SCRUB+R).
 * @example
 * const model = await methodOf('scrub').run(original, unlearnData(d), hp, ctx);
 */
export function unlearnData(d: ExperimentData): UnlearnData {
  const view = (indices: Int32Array, labels: ArrayLike<number>) =>
    batchSource(d.train, indices, { shuffle: false, augment: false, labels });
  return {
    retain: d.sources.retain,
    forget: d.sources.forget,
    numClasses: d.numClasses,
    evaluation: { forget: view(d.splits.forget, d.splits.trainLabels), validation: view(d.splits.validation, d.splits.trueLabels) },
  };
}

/**
 * Returns the stored unlearned model for `cfg`, running the method on the stored original if needed.
 * @example
 * const e = await runUnlearn(unlearnConfig(orig, 'scrub', { lr: 0.005 }));
 */
export async function runUnlearn(cfg: UnlearnConfig, run: RunOptions = {}): Promise<StoreEntry<UnlearnConfig, UnlearnResult>> {
  const label = `${cfg.method} k=${cfg.original.model.k} seed=${cfg.original.seed}`;
  let features: ModelFeatures | undefined;
  const entry = await cached<UnlearnConfig, UnlearnResult>(
    'unlearn',
    cfg,
    async (ctx) => {
      const orig = await trainOriginal(cfg.original, { ...run, onBusy: 'wait' });
      const d = await prepareData(cfg.original.data, cfg.original.seed);
      const original = loadEntryModel(orig);
      const t0 = Date.now();
      let model: Model;
      try {
        model = await methodOf(cfg.method).run(original, unlearnData(d), cfg.hp as never, {
          seed: cfg.original.seed,
          originalRecipe: cfg.original.recipe,
          progress: run.progress,
          checkpoint: ctx.checkpoint,
          label,
        });
      } finally {
        disposeModel(original);
      }
      const seconds = (Date.now() - t0) / 1000;
      try {
        features = await computeFeatures(model, d);
        return { result: { seconds }, model };
      } catch (e) {
        disposeModel(model);
        throw e;
      }
    },
    await storeOptions(cfg.original.data, run, label),
  );
  if (entry.computed && features) await storeFeatures(entry, cfg.original.data, cfg.original.seed, features);
  return entry;
}
