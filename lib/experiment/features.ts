// The stored per-example features of every original, retrained and unlearned model (issue 14: features once,
// scores any time): one inference pass over forget, retain (a seeded sample when large), validation and test,
// stored as its own entry keyed by the model and FEATURES_VERSION; metrics are computed from it at figure time.
import { dataKey, prepareData, type DataConfig, type ExperimentData } from './data';
import { cached, loadEntryModel, readEntry, type StoreEntry } from '../store/store';
import { disposeModel } from '../models/model';
import type { Model } from '../models/types';
import { predictLogitsAsync } from '../metrics/predict';
import { labelsAt } from '../metrics/errors';
import { featuresFromJson, featuresToJson, forgetFeatures, splitFeatures, type ModelFeatures } from '../metrics/features';
import { rng } from '../util/rng';

/**
 * Version of the feature definition (splits, sample sizes, what is kept per row). Bump it with any change to
 * what computeFeatures stores: features of another version are recomputed from the stored models, never served.
 */
export const FEATURES_VERSION = 'features-1';

/** Largest retain set stored whole; a larger one is stored as a seeded sample of this size. */
export const RETAIN_SAMPLE = 5000;

/** The key of a model's features. */
export interface FeaturesConfig {
  definition: string;
  model: { kind: string; hash: string };
  data: DataConfig;
  seed: number;
}

/** The retain rows whose features are stored: all of them, or a seeded sorted sample of RETAIN_SAMPLE. */
export function retainSample(retain: Int32Array, seed: number): Int32Array {
  if (retain.length <= RETAIN_SAMPLE) return retain;
  const perm = rng(seed, 'features-retain-sample').permutation(retain.length).subarray(0, RETAIN_SAMPLE);
  return Int32Array.from(
    Array.from(perm).sort((a, b) => a - b),
    (i) => retain[i],
  );
}

/**
 * Features of `model` on every split of `d` (asynchronous reads: every backend, webgpu included).
 * @example
 * const f = await computeFeatures(model, data); errorOf(f.test);
 */
export async function computeFeatures(model: Model, d: ExperimentData): Promise<ModelFeatures> {
  const s = d.splits;
  const retain = retainSample(s.retain, d.seed);
  return {
    numClasses: d.numClasses,
    forget: forgetFeatures(
      await predictLogitsAsync(model, d.train, s.forget),
      labelsAt(s.trainLabels, s.forget),
      labelsAt(s.trueLabels, s.forget),
    ),
    retain: splitFeatures(await predictLogitsAsync(model, d.train, retain), labelsAt(s.trainLabels, retain)),
    validation: splitFeatures(await predictLogitsAsync(model, d.train, s.validation), labelsAt(s.trueLabels, s.validation)),
    test: splitFeatures(await predictLogitsAsync(model, d.test, s.test), labelsAt(d.test.labels, s.test)),
  };
}

type Stored = ReturnType<typeof featuresToJson>;
const configOf = (entry: StoreEntry<unknown, unknown>, data: DataConfig, seed: number): FeaturesConfig => ({
  definition: FEATURES_VERSION,
  model: { kind: entry.kind, hash: entry.hash },
  data,
  seed,
});

/**
 * Stores features just computed from a model still in memory (right after its training: no second inference pass).
 * @example
 * await storeFeatures(entry, cfg.data, cfg.seed, await computeFeatures(model, d));
 */
export async function storeFeatures(entry: StoreEntry<unknown, unknown>, data: DataConfig, seed: number, f: ModelFeatures): Promise<void> {
  await cached<FeaturesConfig, Stored>('features', configOf(entry, data, seed), async () => ({ result: featuresToJson(f) }), {
    context: await dataKey(data),
  });
}

/**
 * The stored features of a stored model, computed from the model (inference only) when absent or of an older definition.
 * @example
 * const f = await modelFeatures(await trainOriginal(cfg), cfg.data, cfg.seed); errorOf(f.validation);
 */
export async function modelFeatures(entry: StoreEntry<unknown, unknown>, data: DataConfig, seed: number): Promise<ModelFeatures> {
  const cfg = configOf(entry, data, seed);
  const o = { context: await dataKey(data) };
  const stored = readEntry<FeaturesConfig, Stored>('features', cfg, o);
  if (stored) return featuresFromJson(stored.result);
  const e = await cached<FeaturesConfig, Stored>(
    'features',
    cfg,
    async () => {
      const d = await prepareData(data, seed);
      const model = loadEntryModel(entry);
      try {
        return { result: featuresToJson(await computeFeatures(model, d)) };
      } finally {
        disposeModel(model);
      }
    },
    o,
  );
  return featuresFromJson(e.result);
}
