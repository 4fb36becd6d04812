// Validation-based tuning (SPEC "Validation-based tuning", reconstructed objective): pick the grid point
// minimising J on validation and forget errors only — never test data, never the retrained model.
import type { UnlearningGoal } from '../data/splits';
import type { MetricReader } from '../metrics/registry';

/** The errors tuning may look at. */
export interface TuningErrors {
  validation: number;
  forget: number;
}

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
export interface Selection {
  lambda: number;
  index: number;
  J: number;
}

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

/**
 * A tuning objective: J of one grid point from its metrics (read lazily: only what it reads is computed), λ and the
 * goal; lower is better. A figure config may pass its own (FigureRunConfig.objective); it must read validation and
 * forget data only to stay a fair selection (SPEC), but that is the config author's choice to make, visibly.
 */
export type TuningObjective = (m: MetricReader, lambda: number, goal: UnlearningGoal) => number;

/**
 * SPEC's J per goal (see `objective`) from a model's validation and forget errors — the default.
 * @example
 * paperObjective(metricReader(input), 0.4, 'privacy');
 */
export const paperObjective: TuningObjective = (m, lambda, goal) =>
  objective(goal, lambda, { validation: m.validationError, forget: m.forgetError });

/**
 * The index of the point minimising `J` (first on ties; non-finite J skipped), or a selection with index −1 when none is finite.
 * @example
 * selectBy(paperObjective, 'privacy', 0.4, readers).index;
 */
export function selectBy(J: TuningObjective, goal: UnlearningGoal, lambda: number, points: readonly MetricReader[]): Selection {
  let best: Selection = { lambda, index: -1, J: Infinity };
  points.forEach((m, index) => {
    const v = J(m, lambda, goal);
    if (Number.isFinite(v) && v < best.J) best = { lambda, index, J: v };
  });
  return best;
}
