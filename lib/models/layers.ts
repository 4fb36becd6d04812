// Named-parameter layer primitives (conv, batch norm, dense) in the style of Haiku/Flax: the same forward
// code creates parameters on first use (init) and reads them afterwards (apply). PyTorch semantics:
// symmetric padding k//2, BN eps 1e-5 and momentum 0.1 with unbiased running variance.
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../util/rng';
import { initValues, type InitKind } from './init';
import type { ForwardMode } from './types';
import { batchNormInference, batchNormLayerTrain } from '../backend/ops';

/** Options of a 2-D convolution (NHWC input, HWIO filter). */
export interface ConvOptions {
  filters: number;
  size: number;
  /** Default 1. */
  stride?: number;
  /** Symmetric zero padding; default floor(size/2) (PyTorch `padding=k//2`). */
  pad?: number;
  /** Add a bias (default false; convolutions before batch norm have none). */
  bias?: boolean;
}

const BN_EPS = 1e-5;
const BN_MOMENTUM = 0.1;
/** tf.variable names must be unique per process. */
let nextVarId = 0;

/** Creates (init mode) or reads (apply mode) named parameters while running an architecture's forward code. */
export class Layers {
  constructor(
    readonly params: Record<string, tf.Variable>,
    readonly buffers: Record<string, tf.Variable>,
    readonly mode: ForwardMode,
    /** When set, missing parameters are created from this seed (init mode). */
    readonly initSeed?: number,
  ) {}

  private get(store: Record<string, tf.Variable>, name: string, shape: number[], init: InitKind, trainable: boolean): tf.Variable {
    const existing = store[name];
    if (existing) return existing;
    if (this.initSeed === undefined) throw new Error(`model has no parameter '${name}' (architecture/checkpoint mismatch)`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = initValues(init, size, rng(this.initSeed, 'init', name));
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape), trainable, `${name}#${nextVarId++}`));
    store[name] = v;
    return v;
  }

  /** 2-D convolution, x [N,H,W,Cin] → [N,H',W',filters]. */
  conv(name: string, x: tf.Tensor4D, o: ConvOptions): tf.Tensor4D {
    const cin = x.shape[3];
    const fanIn = cin * o.size * o.size;
    const w = this.get(this.params, `${name}.w`, [o.size, o.size, cin, o.filters], { kind: 'uniform', fanIn }, true);
    const p = o.pad ?? Math.floor(o.size / 2);
    const padding: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
    let y = tf.conv2d(x, w as tf.Tensor4D, o.stride ?? 1, p === 0 ? 'valid' : padding);
    if (o.bias) y = tf.add(y, this.get(this.params, `${name}.b`, [o.filters], { kind: 'uniform', fanIn }, true));
    return y;
  }

  /**
   * Batch normalisation over N,H,W per channel (or over N for 2-D input), followed by a ReLU when `o.relu`
   * (one fused kernel per pass on the onednn backend; the same values as tf.relu(bn(x)) elsewhere).
   */
  bn<T extends tf.Tensor4D | tf.Tensor2D>(name: string, x: T, o: { relu?: boolean } = {}): T {
    const c = x.shape[x.rank - 1];
    const gamma = this.get(this.params, `${name}.gamma`, [c], { kind: 'const', value: 1 }, true);
    const beta = this.get(this.params, `${name}.beta`, [c], { kind: 'const', value: 0 }, true);
    const runMean = this.get(this.buffers, `${name}.runMean`, [c], { kind: 'const', value: 0 }, false);
    const runVar = this.get(this.buffers, `${name}.runVar`, [c], { kind: 'const', value: 1 }, false);
    if (!this.mode.training) return batchNormInference(x, gamma, beta, runMean, runVar, BN_EPS, o.relu);
    const running = this.mode.updateStats !== false ? { mean: runMean, variance: runVar, momentum: BN_MOMENTUM } : undefined;
    return batchNormLayerTrain(x, gamma, beta, BN_EPS, o.relu === true, running);
  }

  /** Fully connected layer with bias, x [N,D] → [N,units]. */
  dense(name: string, x: tf.Tensor2D, units: number): tf.Tensor2D {
    const fanIn = x.shape[1];
    const w = this.get(this.params, `${name}.w`, [fanIn, units], { kind: 'uniform', fanIn }, true);
    const b = this.get(this.params, `${name}.b`, [units], { kind: 'uniform', fanIn }, true);
    return tf.add(tf.matMul(x, w as tf.Tensor2D), b);
  }
}
