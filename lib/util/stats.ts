// Mean and sample standard deviation (n − 1), the summary used for seeds and planes throughout.

/** Mean, sample standard deviation (0 for one value) and count; NaN values are skipped. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
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
