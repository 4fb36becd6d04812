// Tidy result rows, one per (dataset, arch, k, seed, goal, method, λ, metric, value): the only input of the
// plot builders and the format of results/<profile>/<figure>.csv.
import type { TunedPoint, SweepPoint } from '../experiment/sweep';
import type { ModelEvaluation } from '../experiment/evaluate';
import type { Profile } from '../experiment/profiles';

/** One measured number. λ is null for the references (original, retrain), which are not tuned. */
export interface ResultRow {
  dataset: string;
  arch: string;
  k: number;
  seed: number;
  goal: string;
  method: string;
  lambda: number | null;
  metric: string;
  value: number;
  /** The hyperparameters of the model behind the number (JSON), for tracing a point back to the store. */
  hp: string;
  /** Store hash of the model behind the number. */
  hash: string;
}

/** Metrics taken from each model's stored evaluation, with what they mean (direction in brackets). */
export const evaluationMetrics = {
  testError: 'test error (lower: better utility)',
  validationError: 'validation error',
  retainError: 'retain error',
  forgetError: 'forget error against the training labels (privacy: ≈ validation error; bias: higher = bias removed)',
  forgetErrorTrue: 'forget error against the true labels',
  forgetGap: '|forget error − validation error| (privacy: lower)',
  mia: 'loss-threshold MIA accuracy, 5-fold logistic regression (0.5 = chance = best privacy)',
  confidenceAuc: 'logit-confidence attack AUC, forget vs test (0.5 = best privacy)',
  tprAt1Fpr: 'confidence attack TPR at 1% FPR (≈ 0.01 = best privacy)',
} as const;

export type EvaluationMetric = keyof typeof evaluationMetrics;

/** The metrics of one stored evaluation. */
export function evaluationValues(ev: ModelEvaluation): Record<EvaluationMetric, number> {
  return {
    testError: ev.errors.test, validationError: ev.errors.validation, retainError: ev.errors.retain,
    forgetError: ev.errors.forget, forgetErrorTrue: ev.errors.forgetTrue, forgetGap: Math.abs(ev.errors.forget - ev.errors.validation),
    mia: ev.mia.accuracy, confidenceAuc: ev.confidence.auc, tprAt1Fpr: ev.confidence.tprAt1Fpr,
  };
}

/**
 * Rows for every point of a sweep, tuned or not (λ = null), plus its compute time as metric `seconds`:
 * the whole grid behind a figure, for analyses beyond the tuned points (results/<profile>/sweep-<goal>.csv).
 * @example
 * const rows = sweepRows(await sweep({ profile, goal: 'bias' }), profile);
 */
export function sweepRows(points: readonly SweepPoint[], profile: Profile): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const p of points) {
    if (!p.evaluation) continue;
    for (const [metric, value] of Object.entries(evaluationValues(p.evaluation))) rows.push(row(profile, p, null, metric, value));
    rows.push(row(profile, p, null, 'seconds', p.seconds));
  }
  return rows;
}

/**
 * Rows for every tuned point (one per λ) and for the references (once, λ = null).
 * @example
 * const rows = tunedRows(tune(points, profile.lambdas), profile);
 */
export function tunedRows(tuned: readonly TunedPoint[], profile: Profile): ResultRow[] {
  const rows: ResultRow[] = [];
  const seenRef = new Set<string>();
  for (const t of tuned) {
    const ref = t.method === 'original' || t.method === 'retrain';
    if (ref) {
      const key = `${t.goal}|${t.k}|${t.seed}|${t.method}`;
      if (seenRef.has(key)) continue;
      seenRef.add(key);
    }
    if (!t.evaluation) continue;
    const values = evaluationValues(t.evaluation);
    for (const [metric, value] of Object.entries(values)) {
      rows.push(row(profile, t, ref ? null : t.lambda, metric, value));
    }
  }
  return rows;
}

/** One row for a tuned point. */
export function row(profile: Profile, t: Pick<TunedPoint, 'k' | 'seed' | 'goal' | 'method' | 'hp' | 'hash'>, lambda: number | null, metric: string, value: number): ResultRow {
  return { dataset: profile.data.dataset, arch: profile.arch, k: t.k, seed: t.seed, goal: t.goal, method: t.method, lambda, metric, value, hp: JSON.stringify(t.hp), hash: t.hash };
}
