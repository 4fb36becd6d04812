// L2-regularised binary logistic regression matching scikit-learn's `LogisticRegression()` defaults (C = 1,
// unpenalised intercept, solved to convergence), by Newton's method; the MIA attack model (appendix B.1).

/** Options of `fitLogistic`; the defaults are scikit-learn's `LogisticRegression()`. */
export interface LogisticOptions {
  /** Inverse regularisation strength: the objective is Σ log-loss + ‖w‖² / (2C) (default 1). */
  C?: number;
  /** Fit an (unpenalised) intercept (default true). */
  fitIntercept?: boolean;
  /** Stop when every gradient component is at most `tol` in absolute value (default 1e-10). */
  tol?: number;
  /** Newton iterations before giving up (default 100; convergence is usually < 15). */
  maxIter?: number;
}

/** A fitted model: decision function z = coef · x + intercept; P(y = 1 | x) = sigmoid(z). */
export interface LogisticModel {
  coef: number[];
  intercept: number;
  /** Newton iterations used. */
  iterations: number;
  /** Whether the gradient tolerance was reached. */
  converged: boolean;
}

const DEFAULTS: Required<LogisticOptions> = { C: 1, fitIntercept: true, tol: 1e-10, maxIter: 100 };

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Solves the symmetric system H s = g (Gaussian elimination with partial pivoting); H, g are overwritten. */
function solve(H: Float64Array, g: Float64Array, m: number): Float64Array {
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(H[r * m + c]) > Math.abs(H[piv * m + c])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < m; k++) {
        const t = H[c * m + k];
        H[c * m + k] = H[piv * m + k];
        H[piv * m + k] = t;
      }
      const t = g[c];
      g[c] = g[piv];
      g[piv] = t;
    }
    const d = H[c * m + c];
    if (d === 0) throw new RangeError('logistic regression: singular Hessian (a feature is constant zero and unpenalised?)');
    for (let r = c + 1; r < m; r++) {
      const f = H[r * m + c] / d;
      if (f === 0) continue;
      for (let k = c; k < m; k++) H[r * m + k] -= f * H[c * m + k];
      g[r] -= f * g[c];
    }
  }
  const s = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let v = g[r];
    for (let k = r + 1; k < m; k++) v -= H[r * m + k] * s[k];
    s[r] = v / H[r * m + r];
  }
  return s;
}

/**
 * Fits binary logistic regression to `x` (n rows of `nFeatures` values, row-major) and labels `y` in {0, 1},
 * minimising Σᵢ log(1 + exp(−ỹᵢ zᵢ)) + ‖w‖²/(2C) (ỹ = ±1, intercept not penalised) — the objective of
 * scikit-learn's `LogisticRegression(penalty='l2', C=1)`. Solved by damped Newton steps to a gradient of
 * `tol` (or a Newton step below float precision), i.e. the exact optimum: equal to scikit-learn 1.2.1's
 * `solver='newton-cholesky'` solution to 1e-8; the default lbfgs stops within ~1e-5 of it (test/metrics-mia.test.ts).
 * @example
 * const m = fitLogistic(Float64Array.of(0.1, 0.3, 1.2, 2.0), [1, 1, 0, 0]); // 1 feature
 * predictLogistic(m, Float64Array.of(0.2)); // Int32Array [1]
 */
export function fitLogistic(x: ArrayLike<number>, y: ArrayLike<number>, nFeatures = 1, options: LogisticOptions = {}): LogisticModel {
  const o = { ...DEFAULTS, ...options };
  const n = y.length,
    d = nFeatures;
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`fitLogistic: nFeatures must be a positive integer, got ${d}`);
  if (x.length !== n * d) throw new RangeError(`fitLogistic: ${x.length} feature values for ${n} labels x ${d} features`);
  if (!(o.C > 0)) throw new RangeError(`fitLogistic: C must be > 0, got ${o.C}`);
  let has0 = false,
    has1 = false;
  for (let i = 0; i < n; i++) {
    if (y[i] === 0) has0 = true;
    else if (y[i] === 1) has1 = true;
    else throw new RangeError(`fitLogistic: label ${y[i]} at ${i} is not 0 or 1`);
  }
  if (!has0 || !has1) throw new RangeError('fitLogistic: needs examples of both classes (0 and 1)');
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i])) throw new RangeError(`fitLogistic: feature value ${x[i]} at ${i} is not finite`);

  const m = o.fitIntercept ? d + 1 : d; // parameters: w[0..d), then the intercept
  const theta = new Float64Array(m);
  const lambda = 1 / o.C;
  const z = new Float64Array(n);
  const decision = (t: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let v = o.fitIntercept ? t[d] : 0;
      for (let j = 0; j < d; j++) v += t[j] * x[i * d + j];
      z[i] = v;
    }
  };
  const objective = (t: Float64Array) => {
    decision(t);
    let f = 0;
    for (let i = 0; i < n; i++) f += softplus(y[i] === 1 ? -z[i] : z[i]);
    for (let j = 0; j < d; j++) f += 0.5 * lambda * t[j] * t[j];
    return f;
  };

  let f = objective(theta);
  let iterations = 0,
    converged = false;
  const g = new Float64Array(m),
    H = new Float64Array(m * m);
  for (; iterations <= o.maxIter; iterations++) {
    // z holds the decision values of theta here.
    g.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(z[i]);
      const r = p - y[i],
        w = p * (1 - p);
      for (let j = 0; j < m; j++) {
        const xj = j < d ? x[i * d + j] : 1;
        g[j] += r * xj;
        for (let k = 0; k <= j; k++) H[j * m + k] += w * xj * (k < d ? x[i * d + k] : 1);
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] += lambda * theta[j];
      H[j * m + j] += lambda;
    }
    for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) H[j * m + k] = H[k * m + j];
    let gmax = 0;
    for (let j = 0; j < m; j++) gmax = Math.max(gmax, Math.abs(g[j]));
    if (gmax <= o.tol) {
      converged = true;
      break;
    }
    if (iterations === o.maxIter) break;
    const step = solve(H, Float64Array.from(g), m);
    let smax = 0,
      tmax = 0;
    for (let j = 0; j < m; j++) {
      smax = Math.max(smax, Math.abs(step[j]));
      tmax = Math.max(tmax, Math.abs(theta[j]));
    }
    if (smax <= 1e-14 * (1 + tmax)) {
      converged = true;
      break;
    } // Newton step below float precision
    // Backtracking (Armijo) line search on the Newton direction −step. Near the optimum the predicted decrease
    // drops below the precision of f; the full Newton step is then taken (quadratic convergence).
    let slope = 0;
    for (let j = 0; j < m; j++) slope -= g[j] * step[j];
    const next = new Float64Array(m);
    let t = 1,
      fNext = f;
    for (let ls = 0; ls < 60; ls++) {
      for (let j = 0; j < m; j++) next[j] = theta[j] - t * step[j];
      fNext = objective(next);
      if (fNext <= f + 1e-4 * t * slope || -slope <= 1e-12 * Math.abs(f)) break;
      t *= 0.5;
    }
    theta.set(next);
    f = fNext; // z holds the decision values of `next`
  }
  return { coef: Array.from(theta.subarray(0, d)), intercept: o.fitIntercept ? theta[d] : 0, iterations, converged };
}

/**
 * Decision values z = coef · x + intercept of n rows of `x`.
 * @example
 * decisionFunction({ coef: [2], intercept: -1, iterations: 0, converged: true }, [0, 1]); // Float64Array [-1, 1]
 */
export function decisionFunction(model: LogisticModel, x: ArrayLike<number>): Float64Array {
  const d = model.coef.length;
  if (x.length % d !== 0) throw new RangeError(`decisionFunction: ${x.length} values is not a multiple of ${d} features`);
  const out = new Float64Array(x.length / d);
  for (let i = 0; i < out.length; i++) {
    let v = model.intercept;
    for (let j = 0; j < d; j++) v += model.coef[j] * x[i * d + j];
    out[i] = v;
  }
  return out;
}

/**
 * Predicted class (1 where z > 0, else 0 — scikit-learn's rule, ties to class 0).
 * @example
 * predictLogistic({ coef: [2], intercept: -1, iterations: 0, converged: true }, [0, 0.5, 1]); // Int32Array [0, 0, 1]
 */
export function predictLogistic(model: LogisticModel, x: ArrayLike<number>): Int32Array {
  const z = decisionFunction(model, x);
  const out = new Int32Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? 1 : 0;
  return out;
}
