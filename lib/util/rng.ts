// Seeded, splittable pseudo-random numbers (xoshiro128**, Blackman & Vigna 2018; seeds via splitmix32).
// Every random choice in the project goes through an Rng derived from a recorded seed and labels.

/** A seeded random source; `fork(label)` derives an independent child stream. */
export interface Rng {
  /** The 32-bit seed this stream was created from (for logs and stored configs). */
  readonly seed: number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** A new independent stream named by `label` (same parent seed + label → same stream). */
  fork(label: string | number): Rng;
  /** Fisher-Yates shuffle of a copy of `items`. */
  shuffle<T>(items: readonly T[]): T[];
  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array;
}

/** 32-bit FNV-1a hash of a string, used to mix labels into seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Creates a seeded generator; `labels` name a sub-stream (e.g. `rng(seed, 'split')`).
 * @example
 * const r = rng(0, 'shuffle'); r.permutation(5); // same permutation on every run
 */
export function rng(seed: number, ...labels: (string | number)[]): Rng {
  let s = seed >>> 0;
  for (const l of labels) s = (Math.imul(s ^ hashString(String(l)), 0x9e3779b1) + 0x7f4a7c15) >>> 0;
  return makeRng(s);
}

function makeRng(seed: number): Rng {
  const sm = { s: seed | 0 };
  let a = splitmix32(sm),
    b = splitmix32(sm),
    c = splitmix32(sm),
    d = splitmix32(sm);
  if ((a | b | c | d) === 0) a = 1;
  let spare: number | null = null;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const self: Rng = {
    seed,
    next: () => nextU32() / 4294967296,
    int: (n) => {
      if (!(n > 0)) throw new RangeError(`rng.int(n) needs n > 0, got ${n}`);
      return Math.floor((nextU32() / 4294967296) * n);
    },
    normal: () => {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = self.next();
      const v = self.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => rng(seed, label),
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = self.int(i + 1);
        const tmp = out[i];
        out[i] = out[j];
        out[j] = tmp;
      }
      return out;
    },
    permutation: (n) => {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = self.int(i + 1);
        const tmp = p[i];
        p[i] = p[j];
        p[j] = tmp;
      }
      return p;
    },
  };
  return self;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
