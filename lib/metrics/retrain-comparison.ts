// Per-example comparison of a model's membership scores with their distribution under retrained-from-scratch
// models (seeds): a Gaussian fit per example → z-score and one-sided p-value, in the spirit of offline LiRA
// (Carlini et al. 2022) and the NeurIPS 2023 machine-unlearning challenge's per-example test.
import { attackSummary, type AttackSummary } from './confidence-attack';

/** Options of `compareWithRetrained`. */
export interface RetrainComparisonOptions {
  /**
   * 'global' (default): one variance for all examples — the mean of the per-example variances — which
   * LiRA recommends when there are few reference models (ours: a handful of seeds); 'per-example': each
   * example's own sample variance.
   */
  variance?: 'global' | 'per-example';
  /** Lower bound on the standard deviation, against degenerate fits (default 1e-3 score units). */
  minStd?: number;
  /** One-sided level at which an example counts as flagged (default 0.05 ⇒ z > 1.645). */
  alpha?: number;
}

/** The comparison: per example i, score sᵢ of the target model vs N(μᵢ, σᵢ²) fit over the retrained models. */
export interface RetrainComparison {
  /**
   * zᵢ = (sᵢ − μᵢ)/σᵢ. 0 = scored as a model never trained on the example would score it (ideal unlearning).
   * > 0 = the target is more confident than retrained models (the example is still remembered); < 0 = less
   * confident than never having seen it (over-unlearning, itself detectable).
   */
  z: Float64Array;
  /** P(S ≥ sᵢ) under the retrained Gaussian (one-sided p-value; small = looks like a member). */
  pOut: Float64Array;
  /** μᵢ and σᵢ used. */
  mean: Float64Array;
  std: Float64Array;
  /** Mean z over examples: 0 is ideal; positive = residual memorisation on average. */
  meanZ: number;
  /** Mean |z|: ≈ 0.8 (= √(2/π)) if the target is indistinguishable from a retrained model; larger is worse. */
  meanAbsZ: number;
  /** Share of examples with pOut < alpha (flagged as members): ≈ alpha ideal; higher = more exposed. */
  shareFlagged: number;
  alpha: number;
  nExamples: number;
  nRetrained: number;
  variance: 'global' | 'per-example';
}

/**
 * Standard normal upper tail P(Z ≥ z) via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7).
 * @example
 * normalUpperTail(1.645); // ≈ 0.05
 */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const r =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? r : 2 - r;
  return erfc / 2;
}

/**
 * Compares `targetScores[i]` (e.g. the unlearned model's logit-scaled confidence on forget example i) with
 * `retrainedScores[r][i]` (the same example's score under retrained model r, which never saw it).
 * Needs at least 2 retrained models. For an attack-style summary run it on the forget set and on held-out
 * examples and pass both z arrays to `attackSummary` (see `liraSummary`).
 * @example
 * const c = compareWithRetrained(scoreUnlearned, [scoreRetrainSeed0, scoreRetrainSeed1, scoreRetrainSeed2]);
 * c.meanZ; // ≈ 0 when unlearning matches retraining
 */
export function compareWithRetrained(
  targetScores: ArrayLike<number>,
  retrainedScores: readonly ArrayLike<number>[],
  options: RetrainComparisonOptions = {},
): RetrainComparison {
  const variance = options.variance ?? 'global';
  const minStd = options.minStd ?? 1e-3;
  const alpha = options.alpha ?? 0.05;
  const n = targetScores.length,
    R = retrainedScores.length;
  if (R < 2) throw new RangeError(`compareWithRetrained: needs scores of at least 2 retrained models, got ${R}`);
  retrainedScores.forEach((s, r) => {
    if (s.length !== n) throw new RangeError(`compareWithRetrained: retrained model ${r} has ${s.length} scores, the target ${n}`);
  });
  if (n === 0) throw new RangeError('compareWithRetrained: no examples');
  const mean = new Float64Array(n),
    v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let r = 0; r < R; r++) m += retrainedScores[r][i];
    m /= R;
    let ss = 0;
    for (let r = 0; r < R; r++) ss += (retrainedScores[r][i] - m) ** 2;
    mean[i] = m;
    v[i] = ss / (R - 1);
  }
  const pooled = v.reduce((s, x) => s + x, 0) / n;
  const std = Float64Array.from(v, (vi) => Math.max(minStd, Math.sqrt(variance === 'global' ? pooled : vi)));
  const z = new Float64Array(n),
    pOut = new Float64Array(n);
  let sumZ = 0,
    sumAbs = 0,
    flagged = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(targetScores[i])) throw new RangeError(`compareWithRetrained: target score ${i} is ${targetScores[i]}`);
    z[i] = (targetScores[i] - mean[i]) / std[i];
    pOut[i] = normalUpperTail(z[i]);
    sumZ += z[i];
    sumAbs += Math.abs(z[i]);
    if (pOut[i] < alpha) flagged++;
  }
  return {
    z,
    pOut,
    mean,
    std,
    meanZ: sumZ / n,
    meanAbsZ: sumAbs / n,
    shareFlagged: flagged / n,
    alpha,
    nExamples: n,
    nRetrained: R,
    variance,
  };
}

/**
 * Offline-LiRA-style attack: forget examples' z-scores (members if unlearning failed) against held-out
 * examples' z-scores (true non-members), each relative to its own retrained distribution. AUC ≈ 0.5 and
 * TPR at low FPR ≈ FPR when the target treats forget examples like unseen ones (ideal); higher = exposed.
 * @example
 * liraSummary(compareWithRetrained(uForget, rForget), compareWithRetrained(uTest, rTest)).auc;
 */
export function liraSummary(forget: RetrainComparison, heldout: RetrainComparison): AttackSummary {
  return attackSummary(forget.z, heldout.z);
}
