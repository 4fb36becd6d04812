// Per-example features of one model on an experiment's splits — labels, predicted class, cross-entropy and
// logit-scaled confidence — stored once per model; every metric is a pure function of them (issue 14, after
// locuslab/open-unlearning's metrics-from-cached-outputs and its `value_by_index` records).
import { argmaxRows, crossEntropyRows } from './errors';
import { logitScaledConfidence } from './confidence-attack';
import type { Logits } from './predict';

/** One split's rows (row order = the split's index order). */
export interface SplitFeatures {
  /** The label each row is scored against (training labels for forget and retain, true labels for validation, test labels). */
  labels: Int32Array;
  /** Arg-max class. */
  pred: Int32Array;
  /** Cross-entropy against `labels` (lower = more member-like). */
  loss: Float64Array;
  /** Logit-scaled confidence log p_y − log(1 − p_y) against `labels` (higher = more member-like). */
  score: Float64Array;
}

/** The forget split also keeps the data set's true labels (they differ from the training labels for the bias goal). */
export interface ForgetFeatures extends SplitFeatures {
  trueLabels: Int32Array;
  lossTrue: Float64Array;
  scoreTrue: Float64Array;
}

/** Everything the metrics read about one model. */
export interface ModelFeatures {
  numClasses: number;
  forget: ForgetFeatures;
  /** The retain set, or a seeded sample of it when it is large (see the feature definition in lib/experiment/features.ts). */
  retain: SplitFeatures;
  validation: SplitFeatures;
  test: SplitFeatures;
}

export const splitNames = ['forget', 'retain', 'validation', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

/**
 * Features of one split from its logits and labels (pure).
 * @example
 * const f = splitFeatures({ values: Float32Array.of(2, 0, 0, 1), n: 2, numClasses: 2 }, [0, 0]); // pred [0, 1]
 */
export function splitFeatures(l: Logits, labels: ArrayLike<number>): SplitFeatures {
  if (labels.length !== l.n) throw new RangeError(`splitFeatures: ${labels.length} labels for ${l.n} rows`);
  const y = Int32Array.from(labels);
  return { labels: y, pred: argmaxRows(l), loss: crossEntropyRows(l, y), score: logitScaledConfidence(l, y) };
}

/**
 * Features of the forget split, against the training labels and against the true labels.
 * @example
 * const f = forgetFeatures(logits, biasedLabels, trueLabels); f.loss; f.lossTrue;
 */
export function forgetFeatures(l: Logits, trainLabels: ArrayLike<number>, trueLabels: ArrayLike<number>): ForgetFeatures {
  const t = splitFeatures(l, trueLabels);
  return { ...splitFeatures(l, trainLabels), trueLabels: t.labels, lossTrue: t.loss, scoreTrue: t.score };
}

/**
 * Share of rows whose predicted class differs from `labels` (default: the split's own labels); NaN when empty.
 * @example
 * errorOf(f.forget); errorOf(f.forget, f.forget.trueLabels);
 */
export function errorOf(s: SplitFeatures, labels: ArrayLike<number> = s.labels): number {
  if (s.pred.length === 0) return NaN;
  let wrong = 0;
  for (let i = 0; i < s.pred.length; i++) if (s.pred[i] !== labels[i]) wrong++;
  return wrong / s.pred.length;
}

/** Mean of an array (NaN when empty). */
export function meanOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : NaN;
}

// JSON form: each array as a base64 string of its little-endian bytes — 'f64:' (losses, scores: exact, Infinity kept)
// or 'i16:' (labels, predictions) — about half the size of number arrays; plain number arrays are read too.
type Json = Record<string, Record<string, string> | number>;
const ints = ['labels', 'pred', 'trueLabels'];
const enc = (a: ArrayLike<number>, int: boolean): string => {
  const t = int ? Int16Array.from(a) : Float64Array.from(a);
  if (int && t.some((v, i) => v !== a[i])) throw new RangeError('stored features: a label outside the 16-bit range');
  return `${int ? 'i16' : 'f64'}:${Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('base64')}`;
};
const dec = (a: unknown, what: string): ArrayLike<number> => {
  if (Array.isArray(a)) return a.map((v) => (typeof v === 'number' ? v : Number(v)));
  const m = typeof a === 'string' ? /^(f64|i16):(.*)$/s.exec(a) : null;
  if (!m) throw new TypeError(`stored features: ${what} is neither a number array nor an 'f64:'/'i16:' base64 string`);
  const bytes = Buffer.from(m[2], 'base64');
  const size = m[1] === 'f64' ? 8 : 2;
  if (bytes.length % size) throw new TypeError(`stored features: ${what} has ${bytes.length} bytes, not a multiple of ${size}`);
  const copy = new Uint8Array(bytes).buffer; // aligned
  return m[1] === 'f64' ? new Float64Array(copy) : new Int16Array(copy);
};

/** The JSON-serialisable form of features (stored in the store's result.json). */
export function featuresToJson(f: ModelFeatures): Json {
  const out: Json = { numClasses: f.numClasses };
  for (const s of splitNames)
    out[s] = Object.fromEntries(Object.entries(f[s]).map(([k, v]) => [k, enc(v as ArrayLike<number>, ints.includes(k))]));
  return out;
}

/**
 * Features from their JSON form, checked: every split has all fields with one value per row.
 * @example
 * const f = featuresFromJson(JSON.parse(text));
 */
export function featuresFromJson(j: unknown): ModelFeatures {
  const o = j as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = { numClasses: Number(o?.numClasses) };
  for (const s of splitNames) {
    const src = o?.[s];
    if (!src || typeof src !== 'object') throw new TypeError(`stored features: split '${s}' is missing`);
    const fields =
      s === 'forget' ? ['labels', 'pred', 'loss', 'score', 'trueLabels', 'lossTrue', 'scoreTrue'] : ['labels', 'pred', 'loss', 'score'];
    const split: Record<string, Int32Array | Float64Array> = {};
    for (const k of fields) {
      const v = dec(src[k], `${s}.${k}`);
      split[k] = ints.includes(k) ? Int32Array.from(v) : Float64Array.from(v);
      if (split[k].length !== (split.labels ?? split[k]).length)
        throw new TypeError(`stored features: ${s}.${k} has ${split[k].length} values for ${split.labels.length} rows`);
    }
    out[s] = split;
  }
  return out as unknown as ModelFeatures;
}

/** Error rates of every split, as the CLI and the notebook summaries print them. */
export interface SplitErrors {
  retain: number;
  forget: number;
  forgetTrue: number;
  validation: number;
  test: number;
}

/**
 * Every split's error rate from stored features.
 * @example
 * splitErrorsOf(features).test;
 */
export function splitErrorsOf(f: ModelFeatures): SplitErrors {
  return {
    retain: errorOf(f.retain),
    forget: errorOf(f.forget),
    forgetTrue: errorOf(f.forget, f.forget.trueLabels),
    validation: errorOf(f.validation),
    test: errorOf(f.test),
  };
}
