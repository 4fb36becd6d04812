// Creating, running, copying and measuring width-k models built from the architecture registry.
import * as tf from '@tensorflow/tfjs-core';
import { pick, UsageError } from '../util/errors';
import { archs } from './registry';
import { Layers } from './layers';
import type { ForwardMode, Model, ModelSpec } from './types';

/** Defaults for CIFAR-10-shaped models. */
export const defaultSpec: ModelSpec = { arch: 'resnet18k', k: 4, numClasses: 10, inputShape: [32, 32, 3] };

/**
 * Builds a freshly initialised model (seeded, backend-independent initial values).
 * @example
 * const m = createModel({ ...defaultSpec, k: 8 }, 0); countParams(m); // 176178
 */
export function createModel(spec: ModelSpec, seed: number): Model {
  validateSpec(spec);
  const model: Model = { spec: { ...spec }, params: {}, buffers: {} };
  const L = new Layers(model.params, model.buffers, { training: false }, seed);
  tf.tidy(() => {
    pick(archs, spec.arch, 'architecture').forward(tf.zeros([1, ...spec.inputShape]) as tf.Tensor4D, L, spec);
  });
  return model;
}

/** Checks a spec and throws a UsageError naming the bad field. */
export function validateSpec(spec: ModelSpec): void {
  pick(archs, spec.arch, 'architecture');
  const bad = (what: string) => {
    throw new UsageError(`model spec: ${what} (got ${JSON.stringify(spec)})`);
  };
  if (!Number.isInteger(spec.k) || spec.k < 1) bad('k must be a positive integer');
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 2) bad('numClasses must be an integer ≥ 2');
  if (spec.inputShape.length !== 3 || spec.inputShape.some((d) => !Number.isInteger(d) || d < 1)) bad('inputShape must be [H, W, C]');
}

/** Logits [N, classes] for x [N,H,W,C]; in training mode batch norm uses (and by default updates) batch statistics. */
export function forward(model: Model, x: tf.Tensor4D, mode: ForwardMode = { training: false }): tf.Tensor2D {
  const L = new Layers(model.params, model.buffers, mode);
  return pick(archs, model.spec.arch, 'architecture').forward(x, L, model.spec);
}

/** A deep copy with new variables; the source is untouched. */
export function cloneModel(model: Model): Model {
  const copy = (vars: Record<string, tf.Variable>) => {
    const out: Record<string, tf.Variable> = {};
    for (const [name, v] of Object.entries(vars)) out[name] = tf.variable(v, v.trainable, `${name}#clone${nextClone++}`);
    return out;
  };
  return { spec: { ...model.spec }, params: copy(model.params), buffers: copy(model.buffers) };
}
let nextClone = 0;

/** Frees a model's variables. */
export function disposeModel(model: Model): void {
  for (const v of Object.values(model.params)) v.dispose();
  for (const v of Object.values(model.buffers)) v.dispose();
}

/** Number of trainable scalars (equals PyTorch's `sum(p.numel() for p in model.parameters())`). */
export function countParams(model: Model): number {
  return Object.values(model.params).reduce((n, v) => n + v.size, 0);
}

/** Trainable-parameter count for a spec without keeping the model. */
export function paramCount(spec: ModelSpec): number {
  const m = createModel(spec, 0);
  const n = countParams(m);
  disposeModel(m);
  return n;
}
