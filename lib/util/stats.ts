// Mean and sample standard deviation (n − 1), the summary used for seeds and planes throughout, and the 95%
// Student-t interval of a mean over a few seeds (df = n − 1; n = 3 seeds → t = 4.303).

/** Mean, sample standard deviation (0 for one value) and count; NaN values are skipped. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/** A mean with its 95% Student-t interval: half = t(0.975, n − 1)·std/√n, lo = mean − half, hi = mean + half (NaN for n < 2). */
export interface MeanCI extends MeanStd {
  half: number;
  lo: number;
  hi: number;
}

/**
 * Mean ± sample standard deviation of the non-NaN values (NaN mean and std when there are none).
 * @example
 * meanStd([1, 2, 3]); // { mean: 2, std: 1, n: 3 }
 */
export function meanStd(v: readonly number[]): MeanStd {
  const x = v.filter((a) => !Number.isNaN(a));
  const n = x.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = x.reduce((s, a) => s + a, 0) / n;
  const std = n > 1 ? Math.sqrt(x.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** t(0.975, df) for df = 1…30 (scipy.stats.t.ppf, 4 decimals). */
const T975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098,
  2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

/**
 * The 0.975 quantile of Student's t with df degrees of freedom (two-sided 95%): the table to df = 30, beyond it
 * the Cornish–Fisher expansion around z = 1.959964 (error < 1e-5 there); NaN for df < 1.
 * @example
 * tQuantile95(2); // 4.3027
 */
export function tQuantile95(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= T975.length) return T975[Math.floor(df) - 1];
  const z = 1.959964;
  return (
    z +
    (z ** 3 + z) / (4 * df) +
    (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3)
  );
}

/**
 * The 95% Student-t interval of a mean from its summary (df = n − 1; NaN bounds for n < 2, where there is no spread).
 * @example
 * tInterval({ mean: 2, std: 1, n: 3 }); // { mean: 2, std: 1, n: 3, half: 2.484, lo: -0.484, hi: 4.484 }
 */
export function tInterval(s: MeanStd): MeanCI {
  const half = s.n > 1 ? (tQuantile95(s.n - 1) * s.std) / Math.sqrt(s.n) : NaN;
  return { ...s, half, lo: s.mean - half, hi: s.mean + half };
}

/**
 * Mean of the non-NaN values with its 95% Student-t interval.
 * @example
 * meanCI([1, 2, 3]); // mean 2, half 4.303 · 1/√3 = 2.484, [−0.484, 4.484]
 */
export function meanCI(v: readonly number[]): MeanCI {
  return tInterval(meanStd(v));
}
