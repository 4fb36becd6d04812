// Validation-based tuning (SPEC "Validation-based tuning", reconstructed objective): pick the grid point
// minimising J on validation and forget errors only — never test data, never the retrained model.
import type { UnlearningGoal } from '../data/splits';

/** The errors tuning may look at. */
export interface TuningErrors { validation: number; forget: number }

/**
 * The objective J (lower is better).
 * privacy: J = λ·Err_val + (1 − λ)·|Err_forget − Err_val|  (forget error should look like unseen data);
 * bias:    J = λ·Err_val − (1 − λ)·Err_forget  (forget error against the biased labels should be high).
 * @example
 * objective('privacy', 0.2, { validation: 0.3, forget: 0.1 }); // 0.2·0.3 + 0.8·0.2 = 0.22
 */
export function objective(goal: UnlearningGoal, lambda: number, e: TuningErrors): number {
  return goal === 'privacy'
    ? lambda * e.validation + (1 - lambda) * Math.abs(e.forget - e.validation)
    : lambda * e.validation - (1 - lambda) * e.forget;
}

/** The selected grid point for one λ. */
export interface Selection { lambda: number; index: number; J: number }

/**
 * Index of the grid point with the smallest J (first one on ties); points with non-finite errors are skipped.
 * @example
 * selectBest('privacy', 0.4, points.map((p) => p.errors));
 */
export function selectBest(goal: UnlearningGoal, lambda: number, points: readonly TuningErrors[]): Selection {
  let best: Selection = { lambda, index: -1, J: Infinity };
  points.forEach((p, index) => {
    const J = objective(goal, lambda, p);
    if (Number.isFinite(J) && J < best.J) best = { lambda, index, J };
  });
  if (best.index < 0) throw new Error(`no grid point has finite validation and forget errors (${points.length} points)`);
  return best;
}
