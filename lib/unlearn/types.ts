// The one signature every unlearning method has (after locuslab/open-unlearning's idea: a method is its
// loss + a registry entry + a config): (original model, data, hyperparameters, context) → a new model.
import type { Model } from '../models/types';
import type { BatchSource } from '../train/source';
import type { TrainRecipe } from '../train/loop';
import type { ProgressSink } from '../util/progress';
import type { NumberRange } from '../util/range';

/** The data an unlearning method may use. Labels are the training labels (biased on forget for the bias goal). */
export interface UnlearnData {
  retain: BatchSource;
  forget: BatchSource;
  numClasses: number;
  /**
   * Fixed-order, never augmented views for methods that choose between their own epochs by error (SCRUB+R):
   * the forget set with its training labels (as tuning's forget error) and the validation set with its true labels.
   */
  evaluation: { forget: BatchSource; validation: BatchSource };
}

/** Run context: seed, progress, resumable checkpoint, and the original's recipe (for retrain). */
export interface MethodContext {
  seed: number;
  originalRecipe: TrainRecipe;
  label?: string;
  progress?: ProgressSink;
  checkpoint?: string;
}

/** Hyperparameters every method has: learning rate and epochs (plus the method's own). */
export interface BaseHyper {
  lr: number;
  epochs: number;
}

/** For each hyperparameter, the values to try; missing keys keep the default. */
export type Grid<H> = { [K in keyof H]?: H[K][] };

/** Grid sizes by profile. */

/** For every hyperparameter, the values it may take (checked by `checkHyper` before any run; see hyper-schema.ts). */
export type HyperSchema<H> = { [K in keyof H]-?: NumberRange };

/** An unlearning method. */
export interface Method<H extends BaseHyper = BaseHyper> {
  /** One line: what it does and the paper it follows. */
  describe: string;
  /** Whether it reads the forget set (the paper's axis (iii)). */
  usesForget: boolean;
  /** Whether validation-based tuning applies (false for retrain, the oracle). */
  tuned: boolean;
  defaults: H;
  /** What each hyperparameter may be; defaults, grids and `--hp` values must all pass it. */
  schema: HyperSchema<H>;
  /** Returns a new model; `original` is never modified. */
  run(original: Model, data: UnlearnData, hp: H, ctx: MethodContext): Promise<Model>;
}
