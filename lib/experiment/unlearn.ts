// One unlearning run of an experiment: (original config, method, hyperparameters) → an unlearned model
// stored with its evaluation; the retrained oracle is the `retrain` method (one per width and seed).
import { prepareData, type ExperimentData } from './data';
import { trainOriginal, type OriginalConfig, type RunOptions } from './original';
import { cached, loadEntryModel, type StoreEntry } from '../store/store';
import { disposeModel } from '../models/model';
import type { Model } from '../models/types';
import { methodOf, methods, type MethodName } from '../unlearn/registry';
import { pick, UsageError } from '../util/errors';
import { evaluateModel, type ModelEvaluation } from './evaluate';

/** Everything that determines an unlearned model. */
export interface UnlearnConfig {
  original: OriginalConfig;
  method: MethodName;
  /** The method's hyperparameters (retrain: {}; its recipe is the original's). */
  hp: Record<string, number>;
}

/** What is stored with an unlearned model. */
export interface UnlearnResult { evaluation: ModelEvaluation; seconds: number }

/** Builds the config of a run, filling the method's defaults and rejecting unknown hyperparameters. */
export function unlearnConfig(original: OriginalConfig, method: string, hp: Record<string, number> = {}): UnlearnConfig {
  const m = pick(methods, method, 'unlearning method');
  if (!m.tuned) return { original, method: method as MethodName, hp: {} };
  for (const key of Object.keys(hp)) {
    if (!(key in m.defaults)) throw new UsageError(`${method} has no hyperparameter '${key}'; expected: ${Object.keys(m.defaults).join(', ')}`);
  }
  return { original, method: method as MethodName, hp: { ...(m.defaults as unknown as Record<string, number>), ...hp } };
}

/** The unlearning data view of an experiment. */
export function unlearnData(d: ExperimentData) {
  return { retain: d.sources.retain, forget: d.sources.forget, numClasses: d.numClasses };
}

/**
 * Returns the stored unlearned model for `cfg`, running the method on the stored original if needed.
 * @example
 * const e = await runUnlearn(unlearnConfig(orig, 'scrub', { lr: 0.005 }));
 */
export async function runUnlearn(cfg: UnlearnConfig, run: RunOptions = {}): Promise<StoreEntry<UnlearnConfig, UnlearnResult>> {
  return cached<UnlearnConfig, UnlearnResult>('unlearn', cfg, async (ctx) => {
    const orig = await trainOriginal(cfg.original, run);
    const d = await prepareData(cfg.original.data, cfg.original.seed);
    const original = loadEntryModel(orig);
    const t0 = Date.now();
    let model: Model;
    try {
      model = await methodOf(cfg.method).run(original, unlearnData(d), cfg.hp as never, {
        seed: cfg.original.seed, originalRecipe: cfg.original.recipe, progress: run.progress, checkpoint: ctx.checkpoint,
        label: `${cfg.method} k=${cfg.original.model.k} seed=${cfg.original.seed}`,
      });
    } finally {
      disposeModel(original);
    }
    const seconds = (Date.now() - t0) / 1000;
    return { result: { evaluation: evaluateModel(model, d), seconds }, model };
  });
}
