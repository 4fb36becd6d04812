// The shape of a metric (after locuslab/open-unlearning's metric records `{agg_value, value_by_index}`): a pure
// function from one model's stored features (and its cell's references) to a value, per-example values and an interval.
import type { ModelFeatures } from '../features';
import type { MiaProtocol } from '../mia-protocol';

/** The analysis parameters a metric may read (a figure config sets them; lib/figures/analysis.ts has the defaults). */
export interface MetricParams {
  mia: MiaProtocol;
}

/** What a metric is computed from. */
export interface MetricInput {
  features: ModelFeatures;
  /** The retrained oracle of the same width and seed (absent for the original and the oracle itself only if not stored). */
  retrain?: ModelFeatures;
  /** The original model of the same width and seed. */
  original?: ModelFeatures;
  /** The experiment seed (seeds the MIA's draws). */
  seed: number;
  params: MetricParams;
}

/** One metric's result. */
export interface MetricValue {
  value: number;
  /** Per-example values, in the split's row order (e.g. 0/1 errors, per-example score gaps). */
  byExample?: ArrayLike<number>;
  /** A 95% interval of `value` when the metric has its own noise (e.g. the MIA over non-member draws). */
  interval?: [number, number];
}

/** A registry entry: what the number means (direction in brackets) and how it is computed. */
export interface MetricDef {
  describe: string;
  /** Which reference the metric compares with (the pipeline passes it; NaN without it). */
  needs?: 'retrain' | 'original';
  compute(input: MetricInput): MetricValue;
}
