// Stored evaluations stay current: an entry whose evaluation was computed under another EVALUATION_VERSION is
// re-evaluated from its stored model (nothing is retrained) and its result.json replaced atomically.
import { prepareData, type DataConfig } from './data';
import { evaluateModelAsync, EVALUATION_VERSION, type ModelEvaluation } from './evaluate';
import { loadEntryModel, replaceResult, type StoreEntry } from '../store/store';
import { disposeModel } from '../models/model';

/** A stored result that carries an evaluation. */
export interface EvaluatedResult { evaluation: ModelEvaluation; evaluationVersion?: string }

/**
 * Returns `entry` with an evaluation of the current definition, recomputing it from the stored model if needed.
 * @example
 * const e = await currentEvaluation(await trainOriginal(cfg), cfg.data, cfg.seed);
 */
export async function currentEvaluation<C, R extends EvaluatedResult>(entry: StoreEntry<C, R>, data: DataConfig, seed: number): Promise<StoreEntry<C, R>> {
  if (entry.result.evaluationVersion === EVALUATION_VERSION) return entry;
  const d = await prepareData(data, seed);
  const model = loadEntryModel(entry);
  try {
    return replaceResult(entry, { ...entry.result, evaluation: await evaluateModelAsync(model, d), evaluationVersion: EVALUATION_VERSION });
  } finally {
    disposeModel(model);
  }
}
