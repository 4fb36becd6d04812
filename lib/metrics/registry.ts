// Registry of the model metrics (SPEC "Metrics"), each a pure function of stored per-example features
// (lib/metrics/features.ts): adding a metric is one file under scores/ plus one line here.
import * as errors from './scores/errors';
import * as membership from './scores/membership';
import * as retrain from './scores/retrain';
import type { MetricDef, MetricInput, MetricValue } from './scores/types';
import { UsageError, pick } from '../util/errors';

export type { MetricDef, MetricInput, MetricValue, MetricParams } from './scores/types';

export const metrics = {
  testError: errors.testError,
  validationError: errors.validationError,
  retainError: errors.retainError,
  forgetError: errors.forgetError,
  forgetErrorTrue: errors.forgetErrorTrue,
  forgetGap: errors.forgetGap,
  mia: membership.mia,
  confidenceAuc: membership.confidenceAuc,
  tprAt1Fpr: membership.tprAt1Fpr,
  tprAt01Fpr: membership.tprAt01Fpr,
  forgetLoss: membership.forgetLoss,
  testLoss: membership.testLoss,
  retrainAgreement: retrain.retrainAgreement,
  retrainScoreGap: retrain.retrainScoreGap,
} satisfies Record<string, MetricDef>;

export type MetricName = keyof typeof metrics;
export const metricNames = Object.keys(metrics) as MetricName[];

/** Metric values read by name, each computed on first access and kept (what a tuning objective receives). */
export type MetricReader = { readonly [K in MetricName]: number } & { detail(name: MetricName): MetricValue };

/**
 * A lazy, memoising view of every metric of one model: only what is read is computed.
 * @example
 * const m = metricReader({ features, seed: 0, params }); m.validationError; m.detail('mia').interval;
 */
export function metricReader(input: MetricInput): MetricReader {
  const memo = new Map<string, MetricValue>();
  const detail = (name: MetricName): MetricValue => {
    let v = memo.get(name);
    if (!v) {
      v = pick(metrics, name, 'metric').compute(input);
      memo.set(name, v);
    }
    return v;
  };
  const reader: Record<string, unknown> = { detail };
  for (const name of metricNames) Object.defineProperty(reader, name, { get: () => detail(name).value, enumerable: true });
  return reader as MetricReader;
}

/** Throws a UsageError unless every name is a registered metric (or one of `extra`, e.g. region scores). */
export function checkMetricNames(names: readonly string[], extra: readonly string[] = []): void {
  for (const n of names) {
    if (!(n in metrics) && !extra.includes(n))
      throw new UsageError(`unknown metric '${n}'; expected one of: ${[...metricNames, ...extra].join(', ')}`);
  }
}
