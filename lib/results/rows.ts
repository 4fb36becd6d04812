// Tidy result rows, one per (dataset, arch, k, seed, goal, method, λ, metric, value[, 95% interval]): the only input
// of the plot builders and the format of results/<profile>/<figure>.csv; values come from the metric registry
// (lib/metrics/registry.ts) applied to stored features at figure time.
import type { ScoredPoint, TunedPoint } from '../experiment/analysis';
import type { Profile } from '../experiment/profiles';
import { metrics, type MetricName } from '../metrics/registry';

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
  /** The metric's own 95% interval when it has one (the MIA over non-member draws), else null. */
  lo?: number | null;
  hi?: number | null;
  /** The hyperparameters of the model behind the number (JSON), for tracing a point back to the store. */
  hp: string;
  /** Store hash of the model behind the number. */
  hash: string;
}

/** What each registry metric means (direction in brackets), for tables and chart hovers. */
export const evaluationMetrics = Object.fromEntries(Object.entries(metrics).map(([n, m]) => [n, m.describe])) as Record<MetricName, string>;

/** The metrics every figure table carries (cheap: errors and the confidence attack; the MIA when a figure shows it). */
export const tableMetrics: MetricName[] = [
  'testError',
  'validationError',
  'retainError',
  'forgetError',
  'forgetErrorTrue',
  'forgetGap',
  'confidenceAuc',
  'tprAt1Fpr',
];

/**
 * Rows for every point of a sweep, tuned or not (λ = null), plus its compute time as metric `seconds`:
 * the whole grid behind a figure, for analyses beyond the tuned points (results/<profile>/sweep-<goal>.csv).
 * @example
 * const rows = sweepRows(scorePoints(await sweep({ profile, goal: 'bias' }), metricParams()), profile, tableMetrics);
 */
export function sweepRows(points: readonly ScoredPoint[], profile: Profile, names: readonly MetricName[] = tableMetrics): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const p of points) {
    for (const name of names) rows.push(metricRow(profile, p, null, name));
    rows.push(row(profile, p, null, 'seconds', p.seconds));
  }
  return rows;
}

/**
 * Rows for every tuned point (one per λ) and for the references (once, λ = null).
 * @example
 * const rows = tunedRows(tune(scored, profile.lambdas), profile, ['testError', 'mia']);
 */
export function tunedRows(tuned: readonly TunedPoint[], profile: Profile, names: readonly MetricName[] = tableMetrics): ResultRow[] {
  const rows: ResultRow[] = [];
  const seenRef = new Set<string>();
  for (const t of tuned) {
    const ref = t.method === 'original' || t.method === 'retrain';
    if (ref) {
      const key = `${t.goal}|${t.k}|${t.seed}|${t.method}`;
      if (seenRef.has(key)) continue;
      seenRef.add(key);
    }
    for (const name of names) rows.push(metricRow(profile, t, ref ? null : t.lambda, name));
  }
  return rows;
}

/** One registry metric of a scored point as a row (with its interval when it has one). */
export function metricRow(profile: Profile, p: ScoredPoint, lambda: number | null, name: MetricName): ResultRow {
  const v = p.metrics.detail(name);
  return { ...row(profile, p, lambda, name, v.value), lo: v.interval?.[0] ?? null, hi: v.interval?.[1] ?? null };
}

/** One row for a point. */
export function row(
  profile: Profile,
  t: Pick<TunedPoint, 'k' | 'seed' | 'goal' | 'method' | 'hp' | 'hash'>,
  lambda: number | null,
  metric: string,
  value: number,
): ResultRow {
  return {
    dataset: profile.data.dataset,
    arch: profile.arch,
    k: t.k,
    seed: t.seed,
    goal: t.goal,
    method: t.method,
    lambda,
    metric,
    value,
    lo: null,
    hi: null,
    hp: JSON.stringify(t.hp),
    hash: t.hash,
  };
}
