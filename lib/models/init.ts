// Parameter initialisers matching PyTorch's defaults (kaiming_uniform with a = sqrt(5) for conv/linear
// weights, i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)); same bound for biases; BN gamma 1, beta 0), seeded.
import type { Rng } from '../util/rng';

/** How a parameter is initialised; `fanIn` sets the uniform bound 1/sqrt(fanIn). */
export type InitKind = { kind: 'uniform'; fanIn: number } | { kind: 'const'; value: number };

/** Fills an array of `size` values for `init` from `r`. */
export function initValues(init: InitKind, size: number, r: Rng): Float32Array {
  const out = new Float32Array(size);
  if (init.kind === 'const') return out.fill(init.value);
  const bound = 1 / Math.sqrt(init.fanIn);
  for (let i = 0; i < size; i++) out[i] = (2 * r.next() - 1) * bound;
  return out;
}
