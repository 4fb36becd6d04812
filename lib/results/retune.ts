// Validation tuning redone on a sweep table (SPEC "Validation-based tuning"; the selection of lib/experiment/analysis.ts
// `tune` with the default objective): results/<profile>/sweep-<goal>.csv holds every grid point's metrics, so the
// selection can be repeated over a subset of the grid — e.g. claim (c) without the original's peak learning rate.
import type { UnlearningGoal } from '../data/splits';
import { objective } from '../unlearn/tuning';
import type { ResultRow } from './rows';

/** What to select over. */
export interface RetuneOptions {
  /** The tuning λs to select for (each selection's rows carry its λ). */
  lambdas: readonly number[];
  /** Which grid points may be selected, from their hyperparameters (default: all). */
  keep?: (hp: Record<string, unknown>) => boolean;
}

/** The reference models, which are not tuned (their rows pass through, λ empty). */
const REFERENCES = new Set(['original', 'retrain']);

/**
 * The tuned rows (as in the figure tables) of a sweep table's grid points: per (k, seed, method) and λ, the kept grid
 * point with the smallest J of SPEC's objective on its validation and forget errors (the first in table order on
 * ties, which is grid order), all its metrics with λ set; the references' rows unchanged. A (k, seed, method) with no
 * kept point with finite errors has no rows.
 * @example
 * const sweep = readFigureRows('cpu', 'sweep-bias');
 * retune(sweep, { lambdas: [0.4], keep: (hp) => !(Number(hp.lr) >= 0.05) }); // fig2-bias without lr ≥ 0.05
 */
export function retune(sweep: readonly ResultRow[], o: RetuneOptions): ResultRow[] {
  const keep = o.keep ?? (() => true);
  const out: ResultRow[] = sweep.filter((r) => REFERENCES.has(r.method));
  /** Rows of each grid point (by store hash), grouped by (k, seed, method), in table order. */
  const groups = new Map<string, Map<string, ResultRow[]>>();
  for (const r of sweep) {
    if (REFERENCES.has(r.method)) continue;
    const g = `${r.k}|${r.seed}|${r.method}`;
    if (!groups.has(g)) groups.set(g, new Map());
    const points = groups.get(g)!;
    if (!points.has(r.hash)) points.set(r.hash, []);
    points.get(r.hash)!.push(r);
  }
  for (const points of groups.values()) {
    const kept = [...points.values()].filter((rows) => keep(JSON.parse(rows[0].hp || '{}') as Record<string, unknown>));
    const value = (rows: ResultRow[], metric: string) => rows.find((r) => r.metric === metric)?.value ?? NaN;
    for (const lambda of o.lambdas) {
      let best: { rows: ResultRow[]; J: number } | undefined;
      for (const rows of kept) {
        const goal = rows[0].goal as UnlearningGoal;
        const J = objective(goal, lambda, { validation: value(rows, 'validationError'), forget: value(rows, 'forgetError') });
        if (Number.isFinite(J) && (!best || J < best.J)) best = { rows, J };
      }
      if (best) out.push(...best.rows.map((r) => ({ ...r, lambda })));
    }
  }
  return out;
}
