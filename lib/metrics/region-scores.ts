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
  /**
   * 'disc' (default): the disc above; 'connected-region': the grid points of model a's (the original's) decision
   * region that contains the forget image — the 4-connected component of its class around the grid point nearest
   * the forget anchor (radiusFraction is then unused).
   */
  neighbourhood?: 'disc' | 'connected-region';
}

/** Scores on one plane. */
export interface PlaneRegionScore {
  /** Share of far grid points whose class is the same in both grids (1 = regions elsewhere untouched). NaN if none. */
  similarity: number;
  /** Share of near grid points whose class differs (1 = the forget image's neighbourhood fully re-labelled). NaN if none. */
  change: number;
  nNear: number;
  nFar: number;
  /** Neighbourhood radius used, in plane units (NaN for the connected-region neighbourhood). */
  radius: number;
  /** Share of all grid points with the same class in both grids (dbViz's whole-plane agreement). */
  agreement: number;
}

/**
 * Near/far mask of a grid: 1 where a grid point lies within `radiusFraction` × (distance from the forget
 * anchor, anchors[0], to the nearer retain anchor) of the forget anchor.
 * @example
 * const near = neighbourhoodMask(region.anchors, region.grid); // Uint8Array of resolution²
 */
export function neighbourhoodMask(
  anchors: readonly PlanePoint[],
  grid: PlaneGrid,
  options: RegionScoreOptions = {},
): { near: Uint8Array; radius: number } {
  const frac = options.radiusFraction ?? 0.5;
  if (!(frac >= 0)) throw new RangeError(`radiusFraction must be ≥ 0 (0: no neighbourhood, the whole plane is "far"), got ${frac}`);
  const [f, r1, r2] = anchors;
  const dist = (p: PlanePoint) => Math.hypot(p[0] - f[0], p[1] - f[1]);
  const radius = frac * Math.min(dist(r1), dist(r2));
  const R = grid.resolution;
  const near = new Uint8Array(R * R);
  for (let i = 0; i < R; i++)
    for (let j = 0; j < R; j++) {
      if (radius > 0 && Math.hypot(grid.us[i] - f[0], grid.vs[j] - f[1]) <= radius) near[i * R + j] = 1;
    }
  return { near, radius };
}

/**
 * Mask of the connected decision region (4-neighbour flood fill on the grid, same class in `classes`) that
 * contains the grid point nearest to the forget anchor anchors[0].
 * @example
 * const near = connectedRegionMask(region.classes.original, region.anchors, region.grid);
 */
export function connectedRegionMask(classes: ArrayLike<number>, anchors: readonly PlanePoint[], grid: PlaneGrid): Uint8Array {
  const R = grid.resolution;
  const nearest = (axis: ArrayLike<number>, v: number) => {
    let b = 0;
    for (let i = 1; i < R; i++) if (Math.abs(axis[i] - v) < Math.abs(axis[b] - v)) b = i;
    return b;
  };
  const start = nearest(grid.us, anchors[0][0]) * R + nearest(grid.vs, anchors[0][1]);
  const cls = classes[start];
  const mask = new Uint8Array(R * R);
  const stack = [start];
  mask[start] = 1;
  while (stack.length) {
    const p = stack.pop() as number;
    const i = Math.floor(p / R),
      j = p % R;
    for (const [di, dj] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ]) {
      const a = i + di,
        b = j + dj;
      if (a < 0 || b < 0 || a >= R || b >= R) continue;
      const q = a * R + b;
      if (!mask[q] && classes[q] === cls) {
        mask[q] = 1;
        stack.push(q);
      }
    }
  }
  return mask;
}

/**
 * Similarity (eq. 9, reconstructed) and change (eq. 10, reconstructed) between two predicted-class grids
 * of one plane (e.g. original vs unlearned). An ideal unlearning of one example would give similarity ≈ 1
 * (the rest of the input space keeps its classes) and a change that matches what retraining produces.
 * @example
 * planeRegionScore(r.classes.original, r.classes.unlearned, r.anchors, r.grid); // { similarity, change, … }
 */
export function planeRegionScore(
  classesA: ArrayLike<number>,
  classesB: ArrayLike<number>,
  anchors: readonly PlanePoint[],
  grid: PlaneGrid,
  options: RegionScoreOptions = {},
): PlaneRegionScore {
  const R = grid.resolution;
  if (classesA.length !== R * R || classesB.length !== R * R) {
    throw new RangeError(`planeRegionScore: grids of ${classesA.length} and ${classesB.length} points for resolution ${R} (${R * R})`);
  }
  const { near, radius } =
    options.neighbourhood === 'connected-region'
      ? { near: connectedRegionMask(classesA, anchors, grid), radius: NaN }
      : neighbourhoodMask(anchors, grid, options);
  let nNear = 0,
    nFar = 0,
    changedNear = 0,
    sameFar = 0;
  for (let p = 0; p < R * R; p++) {
    const same = classesA[p] === classesB[p];
    if (near[p]) {
      nNear++;
      if (!same) changedNear++;
    } else {
      nFar++;
      if (same) sameFar++;
    }
  }
  return {
    similarity: nFar ? sameFar / nFar : NaN,
    change: nNear ? changedNear / nNear : NaN,
    nNear,
    nFar,
    radius,
    agreement: (sameFar + nNear - changedNear) / (R * R),
  };
}

/** Scores over many planes (mean ± std over planes; NaN planes skipped); agreement pooled over every plane's grid points. */
export interface RegionScores {
  similarity: MeanStd;
  change: MeanStd;
  agreement: number;
  perPlane: PlaneRegionScore[];
}

/** What `regionScores` needs of each plane (a PlaneRegions from decision-regions.ts fits). */
export interface ScoredPlane {
  anchors: readonly PlanePoint[];
  grid: PlaneGrid;
  classes: Record<string, ArrayLike<number>>;
}

/**
 * Similarity and change of model `b` against model `a` (names in each plane's `classes`), averaged over
 * planes with their standard deviation across planes.
 * @example
 * const s = regionScores(regions, 'original', 'unlearned'); s.similarity.mean; s.change.mean;
 */
export function regionScores(planes: readonly ScoredPlane[], a: string, b: string, options: RegionScoreOptions = {}): RegionScores {
  const perPlane = planes.map((p, t) => {
    const ca = p.classes[a],
      cb = p.classes[b];
    if (!ca || !cb)
      throw new RangeError(`regionScores: plane ${t} has no classes for '${!ca ? a : b}' (has ${Object.keys(p.classes).join(', ')})`);
    return planeRegionScore(ca, cb, p.anchors, p.grid, options);
  });
  const agreement = perPlane.reduce((s, p) => s + p.agreement, 0) / perPlane.length; // equal grids per plane: pooled = mean
  return { similarity: meanStd(perPlane.map((s) => s.similarity)), change: meanStd(perPlane.map((s) => s.change)), agreement, perPlane };
}

/** Radius fractions of the change curve (the default disc, 0.5, covers about 22% of a CIFAR-10 plane). */
export const CHANGE_CURVE_FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5] as const;

/**
 * Change near the forget image as a curve over the disc's radius fraction (mean ± std over planes).
 * @example
 * changeCurve(planes, 'original', 'unlearned').map((p) => p.change.mean);
 */
export function changeCurve(
  planes: readonly ScoredPlane[],
  a: string,
  b: string,
  fractions: readonly number[] = CHANGE_CURVE_FRACTIONS,
): { radiusFraction: number; change: MeanStd }[] {
  return fractions.map((radiusFraction) => ({ radiusFraction, change: regionScores(planes, a, b, { radiusFraction }).change }));
}
