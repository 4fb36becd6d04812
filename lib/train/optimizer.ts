// SGD with momentum and Adam with PyTorch's update rules (torch.optim.SGD / Adam, L2 weight decay added to
// the gradient), with state held in variables so it can be checkpointed and a run resumed exactly.
import * as tf from '@tensorflow/tfjs-core';
import { hasFusedOptimizer, OPTIMIZER_STEP, type FusedStepAttrs } from '../backend/native/index';

/** Optimiser settings; JSON-serialisable, part of every training config. */
export type OptimizerConfig =
  | { kind: 'sgd'; momentum: number; weightDecay: number; nesterov?: boolean }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number; weightDecay: number };

export const defaultSgd: OptimizerConfig = { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 };
export const defaultAdam: OptimizerConfig = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/** An optimiser bound to a set of parameters. */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Applies one update with learning rate `lr`; `grads` are keyed like the parameters. */
  step(grads: Record<string, tf.Tensor>, lr: number): void;
  /** Slot variables by name (for checkpoints). */
  state(): Record<string, tf.Variable>;
  /** Number of steps taken (Adam's bias correction); restored with the state. */
  steps: number;
  dispose(): void;
}

/**
 * Creates an optimiser for `params` (slots are zero-initialised variables).
 * @example
 * const opt = createOptimizer(model.params, defaultSgd); opt.step(grads, 0.1);
 */
export function createOptimizer(params: Record<string, tf.Variable>, config: OptimizerConfig): Optimizer {
  const slots: Record<string, tf.Variable> = {};
  const slot = (name: string, like: tf.Variable) => (slots[name] ??= tf.tidy(() => tf.variable(tf.zerosLike(like), false)));
  const opt: Optimizer = {
    config,
    steps: 0,
    state: () => slots,
    dispose: () => Object.values(slots).forEach((v) => v.dispose()),
    step(grads, lr) {
      opt.steps++;
      const t = opt.steps;
      if (hasFusedOptimizer()) {
        fusedStep(params, grads, config, lr, t, slot);
        return;
      }
      tf.tidy(() => {
        for (const [name, p] of Object.entries(params)) {
          const g0 = grads[name];
          if (!g0) continue;
          const g = config.weightDecay ? tf.add(g0, tf.mul(p, config.weightDecay)) : g0;
          if (config.kind === 'sgd') {
            let d = g;
            if (config.momentum) {
              const buf = slot(`${name}.momentum`, p);
              // PyTorch: buf = momentum * buf + g, with buf = 0 before the first step.
              buf.assign(tf.add(tf.mul(buf, config.momentum), g));
              d = config.nesterov ? tf.add(g, tf.mul(buf, config.momentum)) : buf;
            }
            p.assign(tf.sub(p, tf.mul(d, lr)));
          } else {
            const m = slot(`${name}.m`, p);
            const v = slot(`${name}.v`, p);
            m.assign(tf.add(tf.mul(m, config.beta1), tf.mul(g, 1 - config.beta1)));
            v.assign(tf.add(tf.mul(v, config.beta2), tf.mul(tf.square(g), 1 - config.beta2)));
            const mHat = tf.div(m, 1 - Math.pow(config.beta1, t));
            const vHat = tf.div(v, 1 - Math.pow(config.beta2, t));
            p.assign(tf.sub(p, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), config.eps)), lr)));
          }
        }
      });
    },
  };
  return opt;
}

/**
 * The same update as the generic path in one kernel call for every parameter (backends that register
 * OPTIMIZER_STEP: the onednn backend); slots are created (zero) before the first update, as there.
 */
function fusedStep(
  params: Record<string, tf.Variable>,
  grads: Record<string, tf.Tensor>,
  config: OptimizerConfig,
  lr: number,
  t: number,
  slot: (name: string, like: tf.Variable) => tf.Variable,
): void {
  const names = Object.keys(params).filter((n) => grads[n]);
  const sgd = config.kind === 'sgd';
  const slotA = names.map((n) => (sgd ? (config.momentum ? slot(`${n}.momentum`, params[n]) : undefined) : slot(`${n}.m`, params[n])));
  const slotB = names.map((n) => (sgd ? undefined : slot(`${n}.v`, params[n])));
  const inputs: tf.NamedTensorMap = {};
  names.forEach((n, i) => {
    inputs[`p${i}`] = params[n];
    inputs[`g${i}`] = grads[n];
    if (slotA[i]) inputs[`a${i}`] = slotA[i]!;
    if (slotB[i]) inputs[`b${i}`] = slotB[i]!;
  });
  const attrs: FusedStepAttrs = sgd
    ? {
        kind: 'sgd',
        count: names.length,
        lr,
        momentum: config.momentum,
        weightDecay: config.weightDecay,
        nesterov: !!config.nesterov,
        beta1: 0,
        beta2: 0,
        eps: 0,
        step: t,
      }
    : {
        kind: 'adam',
        count: names.length,
        lr,
        momentum: 0,
        weightDecay: config.weightDecay,
        nesterov: false,
        beta1: config.beta1,
        beta2: config.beta2,
        eps: config.eps,
        step: t,
      };
  tf.tidy(() => {
    const out = tf.engine().runKernel(OPTIMIZER_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    let at = names.length;
    names.forEach((n, i) => params[n].assign(out[i]));
    for (const list of [slotA, slotB])
      list.forEach((v) => {
        if (v) v.assign(out[at++]);
      });
  });
}
