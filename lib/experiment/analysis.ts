// The analysis of a sweep, from its stored features (issue 14: scores any time, nothing retrained): every point's
// metrics (lazy, lib/metrics/registry.ts) against its cell's original and retrained oracle, then the validation-based
// selection per λ under a tuning objective (SPEC "Validation-based tuning"; default: SPEC's J).
import type { SweepPoint } from './sweep';
import { metricReader, type MetricParams, type MetricReader } from '../metrics/registry';
import { defaultMiaProtocol, type MiaProtocol } from '../metrics/mia-protocol';
import { paperObjective, selectBy, type TuningObjective } from '../unlearn/tuning';
import type { ModelFeatures } from '../metrics/features';

/** What a figure config may change about the analysis (each field's default in brackets). */
export interface AnalysisOptions {
  /** J of a grid point from its metrics, λ and the goal [paperObjective: SPEC's J]. */
  objective?: TuningObjective;
  /** λ values of the objective [the profile's]. */
  lambdas?: number[];
  /** The MIA protocol [defaultMiaProtocol: k-fold as appendix B.1, mean of 20 non-member draws]. */
  mia?: MiaProtocol;
}

/** The metric parameters of an analysis. */
export function metricParams(o: AnalysisOptions = {}): MetricParams {
  return { mia: o.mia ?? defaultMiaProtocol };
}

/** A sweep point with its metrics (read lazily). */
export interface ScoredPoint extends SweepPoint {
  metrics: MetricReader;
}

/**
 * Attaches every point's metrics; failed points (no features) are dropped. Metrics that compare with a reference
 * read the original and the retrained oracle of the same (goal, width, seed).
 * @example
 * const scored = scorePoints(await sweep({ profile, goal: 'privacy' }), metricParams()); scored[0].metrics.testError;
 */
export function scorePoints(points: readonly SweepPoint[], params: MetricParams): ScoredPoint[] {
  const cell = (p: SweepPoint) => `${p.goal}|${p.k}|${p.seed}`;
  const refs = new Map<string, { original?: ModelFeatures; retrain?: ModelFeatures }>();
  for (const p of points) {
    if (!p.features || (p.method !== 'original' && p.method !== 'retrain')) continue;
    refs.set(cell(p), { ...refs.get(cell(p)), [p.method]: p.features });
  }
  return points
    .filter((p) => p.features)
    .map((p) => ({
      ...p,
      metrics: metricReader({ features: p.features as ModelFeatures, ...refs.get(cell(p)), seed: p.seed, params }),
    }));
}

/** The grid point chosen for one (cell, method, λ). */
export interface TunedPoint extends ScoredPoint {
  lambda: number;
  J: number;
}

/**
 * Selects, per (goal, width, seed, method) and λ, the grid point minimising `objective` (first on ties).
 * The original and untuned methods (retrain) are returned once per λ as they are, with J = NaN.
 * @example
 * const tuned = tune(scorePoints(points, metricParams()), [0.2, 0.4, 0.6]);
 */
export function tune(
  points: readonly ScoredPoint[],
  lambdas: readonly number[],
  objective: TuningObjective = paperObjective,
): TunedPoint[] {
  const groups = new Map<string, ScoredPoint[]>();
  for (const p of points) {
    const key = `${p.goal}|${p.k}|${p.seed}|${p.method}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: TunedPoint[] = [];
  for (const list of groups.values()) {
    for (const lambda of lambdas) {
      if (list.length === 1 && (list[0].method === 'original' || list[0].method === 'retrain')) {
        out.push({ ...list[0], lambda, J: NaN });
        continue;
      }
      const sel = selectBy(
        objective,
        list[0].goal,
        lambda,
        list.map((p) => p.metrics),
      );
      if (sel.index < 0)
        throw new Error(
          `tuning ${list[0].method} k=${list[0].k} seed=${list[0].seed} λ=${lambda}: no grid point has a finite objective (${list.length} points)`,
        );
      out.push({ ...list[sel.index], lambda, J: sel.J });
    }
  }
  return out;
}

/**
 * Source text of an objective, for the written config (a custom one is recorded verbatim).
 * @example
 * objectiveSource(paperObjective); // 'paperObjective (SPEC J)'
 */
export function objectiveSource(objective: TuningObjective | undefined): string {
  return objective === undefined || objective === paperObjective ? 'paperObjective (SPEC J)' : objective.toString();
}
