// Mean ± standard deviation over seeds of tidy result rows (arquero group-by / roll-up).
import * as aq from 'arquero';
import type { ResultRow } from './rows';

/** One aggregated point: mean, sample standard deviation (0 for one seed) and number of seeds. */
export interface AggregateRow {
  dataset: string;
  arch: string;
  k: number;
  goal: string;
  method: string;
  lambda: number | null;
  metric: string;
  mean: number;
  std: number;
  n: number;
}

/**
 * Aggregates rows over seeds, keeping every other key.
 * @example
 * const agg = aggregateSeeds(rows); // one row per (k, goal, method, λ, metric)
 */
export function aggregateSeeds(rows: readonly ResultRow[]): AggregateRow[] {
  if (rows.length === 0) return [];
  const t = aq
    .from(rows.map((r) => ({ ...r, lambdaKey: r.lambda === null ? -1 : r.lambda })))
    .groupby('dataset', 'arch', 'k', 'goal', 'method', 'lambdaKey', 'metric')
    .rollup({ mean: aq.op.mean('value'), std: aq.op.stdev('value'), n: aq.op.count() })
    .orderby('metric', 'method', 'lambdaKey', 'k');
  return (t.objects() as (Omit<AggregateRow, 'lambda'> & { lambdaKey: number })[]).map(({ lambdaKey, ...r }) => ({
    ...r,
    lambda: lambdaKey < 0 ? null : lambdaKey,
    std: Number.isFinite(r.std) ? r.std : 0,
  }));
}
