// Similarity and change scores between two models' decision regions on the same planes (the paper's eq. 9–10,
// **our reconstruction**, SPEC "Metrics"): unchanged share away from the forget image, changed share near it.
import type { PlaneGrid, PlanePoint } from './plane';
import { meanStd, type MeanStd } from '../util/stats';

export type { MeanStd };

/** Options of the scores. */
export interface RegionScoreOptions {
  /**
   * Radius of the forget image's neighbourhood, as a fraction of its plane distance to the nearer of the
   * two retain images (default 0.5: the disc reaches half-way to the nearest retain anchor, so no retain
   * image is inside it). Grid points with distance ≤ radius to the forget anchor are "near", the rest "far".
   */
  radiusFraction?: number;
}

/** Scores on one plane. */
export interface PlaneRegionScore {
  /** Share of far grid points whose class is the same in both grids (1 = regions elsewhere untouched). NaN if none. */
  similarity: number;
  /** Share of near grid points whose class differs (1 = the forget image's neighbourhood fully re-labelled). NaN if none. */
  change: number;
  nNear: number;
  nFar: number;
  /** Neighbourhood radius used, in plane units. */
  radius: number;
}

/**
 * Near/far mask of a grid: 1 where a grid point lies within `radiusFraction` × (distance from the forget
 * anchor, anchors[0], to the nearer retain anchor) of the forget anchor.
 * @example
 * const near = neighbourhoodMask(region.anchors, region.grid); // Uint8Array of resolution²
 */
export function neighbourhoodMask(anchors: readonly PlanePoint[], grid: PlaneGrid, options: RegionScoreOptions = {}): { near: Uint8Array; radius: number } {
  const frac = options.radiusFraction ?? 0.5;
  if (!(frac > 0)) throw new RangeError(`radiusFraction must be > 0, got ${frac}`);
  const [f, r1, r2] = anchors;
  const dist = (p: PlanePoint) => Math.hypot(p[0] - f[0], p[1] - f[1]);
  const radius = frac * Math.min(dist(r1), dist(r2));
  const R = grid.resolution;
  const near = new Uint8Array(R * R);
  for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) {
    if (Math.hypot(grid.us[i] - f[0], grid.vs[j] - f[1]) <= radius) near[i * R + j] = 1;
  }
  return { near, radius };
}

/**
 * Similarity (eq. 9, reconstructed) and change (eq. 10, reconstructed) between two predicted-class grids
 * of one plane (e.g. original vs unlearned). An ideal unlearning of one example would give similarity ≈ 1
 * (the rest of the input space keeps its classes) and a change that matches what retraining produces.
 * @example
 * planeRegionScore(r.classes.original, r.classes.unlearned, r.anchors, r.grid); // { similarity, change, … }
 */
export function planeRegionScore(
  classesA: ArrayLike<number>, classesB: ArrayLike<number>, anchors: readonly PlanePoint[], grid: PlaneGrid, options: RegionScoreOptions = {},
): PlaneRegionScore {
  const R = grid.resolution;
  if (classesA.length !== R * R || classesB.length !== R * R) {
    throw new RangeError(`planeRegionScore: grids of ${classesA.length} and ${classesB.length} points for resolution ${R} (${R * R})`);
  }
  const { near, radius } = neighbourhoodMask(anchors, grid, options);
  let nNear = 0, nFar = 0, changedNear = 0, sameFar = 0;
  for (let p = 0; p < R * R; p++) {
    const same = classesA[p] === classesB[p];
    if (near[p]) { nNear++; if (!same) changedNear++; } else { nFar++; if (same) sameFar++; }
  }
  return { similarity: nFar ? sameFar / nFar : NaN, change: nNear ? changedNear / nNear : NaN, nNear, nFar, radius };
}

/** Scores over many planes (mean ± std over planes; NaN planes skipped). */
export interface RegionScores { similarity: MeanStd; change: MeanStd; perPlane: PlaneRegionScore[] }

/** What `regionScores` needs of each plane (a PlaneRegions from decision-regions.ts fits). */
export interface ScoredPlane { anchors: readonly PlanePoint[]; grid: PlaneGrid; classes: Record<string, ArrayLike<number>> }

/**
 * Similarity and change of model `b` against model `a` (names in each plane's `classes`), averaged over
 * planes with their standard deviation across planes.
 * @example
 * const s = regionScores(regions, 'original', 'unlearned'); s.similarity.mean; s.change.mean;
 */
export function regionScores(planes: readonly ScoredPlane[], a: string, b: string, options: RegionScoreOptions = {}): RegionScores {
  const perPlane = planes.map((p, t) => {
    const ca = p.classes[a], cb = p.classes[b];
    if (!ca || !cb) throw new RangeError(`regionScores: plane ${t} has no classes for '${!ca ? a : b}' (has ${Object.keys(p.classes).join(', ')})`);
    return planeRegionScore(ca, cb, p.anchors, p.grid, options);
  });
  return { similarity: meanStd(perPlane.map((s) => s.similarity)), change: meanStd(perPlane.map((s) => s.change)), perPlane };
}
