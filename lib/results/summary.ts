// Compact tables of aggregated results for notebooks: one row per (method, λ), one column per width,
// cells "mean ± std".
import type { AggregateRow } from './aggregate';
import { labelOf } from '../plot/style';

/**
 * A wide table of one metric.
 * @example
 * showTable(metricTable(agg, 'testError'));
 */
export function metricTable(rows: readonly AggregateRow[], metric: string, digits = 3): Record<string, string>[] {
  const m = rows.filter((r) => r.metric === metric);
  const ks = [...new Set(m.map((r) => r.k))].sort((a, b) => a - b);
  const keys = [...new Set(m.map((r) => `${r.method}|${r.lambda}`))];
  return keys.map((key) => {
    const [method, lambda] = key.split('|');
    const out: Record<string, string> = { method: labelOf(method), λ: lambda === 'null' ? '–' : lambda };
    for (const k of ks) {
      const r = m.find((x) => x.k === k && `${x.method}|${x.lambda}` === key);
      out[`k=${k}`] = r ? `${r.mean.toFixed(digits)} ± ${r.std.toFixed(digits)}` : '';
    }
    return out;
  });
}
