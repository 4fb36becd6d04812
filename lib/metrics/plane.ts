// The plane through three images and its sampling grid, for decision-region plots (appendix D.1, after
// Somepalli et al. CVPR 2022, "Can neural nets learn the same model twice?", somepago/dbViz).

/** Plane coordinates (u along a, v along b). */
export type PlanePoint = [number, number];

/** A plane through three images x1, x2, x3 (flattened, same length, in the model's normalised input space). */
export interface Plane {
  /** x1 (the forget image): plane point (0, 0). */
  origin: Float32Array;
  /** a = (x2 − x1)/‖x2 − x1‖. */
  a: Float32Array;
  /** b = the component of x3 − x1 orthogonal to a, normalised (Gram-Schmidt). */
  b: Float32Array;
  /** Plane coordinates of x1, x2, x3: (0, 0), (‖x2 − x1‖, 0), (a·(x3 − x1), b·(x3 − x1)) with the last v > 0. */
  anchors: [PlanePoint, PlanePoint, PlanePoint];
}

/** A resolution × resolution grid over the anchors' bounding box widened by a margin. */
export interface PlaneGrid {
  resolution: number;
  /** Margin as a fraction of the box's extent, added on each side. */
  margin: number;
  /** u values (length resolution, increasing). Grid point p = i·resolution + j sits at (us[i], vs[j]). */
  us: Float64Array;
  /** v values (length resolution, increasing). */
  vs: Float64Array;
}

/** Options of `planeGrid`. */
export interface GridOptions {
  /** Points per side (default 75, as the paper). */
  resolution?: number;
  /** Fraction of the bounding box's width/height added on each side (default 0.1, as dbViz). */
  margin?: number;
}

/**
 * Builds the plane through x1, x2, x3 (computed in float64, stored as float32). Throws a RangeError if the
 * three images are (nearly) collinear (orthogonal part below 1e-6 of ‖x3 − x1‖, float32 rounding) or x2 = x1.
 * @example
 * const p = makePlane(forgetImg, retainImg1, retainImg2); p.anchors[1][0]; // ‖x2 − x1‖
 */
export function makePlane(x1: ArrayLike<number>, x2: ArrayLike<number>, x3: ArrayLike<number>): Plane {
  const D = x1.length;
  if (x2.length !== D || x3.length !== D) throw new RangeError(`makePlane: images of lengths ${D}, ${x2.length}, ${x3.length}`);
  const a = new Float64Array(D),
    b = new Float64Array(D);
  let na = 0;
  for (let i = 0; i < D; i++) {
    a[i] = x2[i] - x1[i];
    na += a[i] * a[i];
  }
  na = Math.sqrt(na);
  if (!(na > 0)) throw new RangeError('makePlane: x2 equals x1; the three images do not span a plane');
  for (let i = 0; i < D; i++) a[i] /= na;
  let c1 = 0,
    n3 = 0;
  for (let i = 0; i < D; i++) {
    const d = x3[i] - x1[i];
    c1 += a[i] * d;
    n3 += d * d;
  }
  let nb = 0;
  for (let i = 0; i < D; i++) {
    b[i] = x3[i] - x1[i] - c1 * a[i];
    nb += b[i] * b[i];
  }
  nb = Math.sqrt(nb);
  if (!(nb > 1e-6 * Math.sqrt(n3))) throw new RangeError('makePlane: x1, x2, x3 are collinear; they do not span a plane');
  for (let i = 0; i < D; i++) b[i] /= nb;
  return {
    origin: Float32Array.from(x1),
    a: Float32Array.from(a),
    b: Float32Array.from(b),
    anchors: [
      [0, 0],
      [na, 0],
      [c1, nb],
    ],
  };
}

/**
 * Orthogonal projection of an image onto the plane, in plane coordinates.
 * @example
 * planeCoordinates(p, x2); // ≈ p.anchors[1]
 */
export function planeCoordinates(plane: Plane, x: ArrayLike<number>): PlanePoint {
  let u = 0,
    v = 0;
  for (let i = 0; i < plane.origin.length; i++) {
    const d = x[i] - plane.origin[i];
    u += d * plane.a[i];
    v += d * plane.b[i];
  }
  return [u, v];
}

/**
 * The image at plane coordinates (u, v): x1 + u·a + v·b.
 * @example
 * planeImage(p, ...p.anchors[2]); // ≈ x3
 */
export function planeImage(plane: Plane, u: number, v: number): Float32Array {
  const out = new Float32Array(plane.origin.length);
  for (let i = 0; i < out.length; i++) out[i] = plane.origin[i] + u * plane.a[i] + v * plane.b[i];
  return out;
}

function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/**
 * The sampling grid over the anchors' bounding box, widened by `margin` of its extent on each side
 * (dbViz's `plane_dataset` with range_l = range_r = margin). Grid points do not in general hit the anchors.
 * @example
 * const g = planeGrid(p.anchors, { resolution: 75 }); g.us.length * g.vs.length; // 5625
 */
export function planeGrid(anchors: readonly PlanePoint[], options: GridOptions = {}): PlaneGrid {
  const resolution = options.resolution ?? 75,
    margin = options.margin ?? 0.1;
  if (!(Number.isInteger(resolution) && resolution >= 2))
    throw new RangeError(`planeGrid: resolution must be an integer >= 2, got ${resolution}`);
  if (!(margin >= 0)) throw new RangeError(`planeGrid: margin must be >= 0, got ${margin}`);
  const u = anchors.map((p) => p[0]),
    v = anchors.map((p) => p[1]);
  const [u0, u1, v0, v1] = [Math.min(...u), Math.max(...u), Math.min(...v), Math.max(...v)];
  const du = margin * (u1 - u0),
    dv = margin * (v1 - v0);
  return { resolution, margin, us: linspace(u0 - du, u1 + du, resolution), vs: linspace(v0 - dv, v1 + dv, resolution) };
}

/**
 * Plane coordinates of every grid point as (u, v) pairs: point p at [2p], [2p + 1], p = i·resolution + j.
 * @example
 * const c = gridPoints(g); c.length === 2 * g.resolution ** 2;
 */
export function gridPoints(grid: PlaneGrid): Float64Array {
  const R = grid.resolution;
  const out = new Float64Array(2 * R * R);
  for (let i = 0; i < R; i++)
    for (let j = 0; j < R; j++) {
      out[2 * (i * R + j)] = grid.us[i];
      out[2 * (i * R + j) + 1] = grid.vs[j];
    }
  return out;
}
