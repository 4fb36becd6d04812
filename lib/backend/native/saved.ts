// Tensors saved for the gradient share their buffer (tfjs-core's Engine.clone without its Identity kernel and tape node).
// tfjs-core keeps every tensor a gradient needs by Engine.clone: an Identity kernel (on the cpu layout, a reference
// count increment) plus a tape node, ≈ 156 of each per ResNet-18 training step, half the step's kernel calls. On the
// onednn backend the same share is made directly; the tape node only matters when a gradient is itself
// differentiated (nested tf.grad), so nested tapes keep tfjs's own clone.
import * as tf from '@tensorflow/tfjs-core';
import { ONEDNN } from './util';

/** The parts of tfjs-core's Engine this uses (4.x). */
interface EngineInternals {
  backendName: string;
  backend: tf.KernelBackend;
  state: { gradientDepth: number };
  clone(x: tf.Tensor): tf.Tensor;
  keep<T extends tf.Tensor>(t: T): T;
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend?: tf.KernelBackend): tf.Tensor;
}

const ORIGINAL = Symbol.for('overparam-unlearning.engineClone');
type Patched = EngineInternals & { [ORIGINAL]?: EngineInternals['clone'] };

/**
 * Turns buffer sharing for saved tensors on (default once the onednn backend is registered) or off (tfjs's
 * clone everywhere); returns whether it was on. Values and memory are the same either way.
 */
export function shareSavedTensors(enabled: boolean): boolean {
  const engine = tf.engine() as unknown as Patched;
  const was = engine[ORIGINAL] !== undefined;
  if (enabled && !was) {
    const original = engine.clone;
    engine[ORIGINAL] = original;
    engine.clone = function (this: EngineInternals, x: tf.Tensor): tf.Tensor {
      if (this.backendName !== ONEDNN || this.state.gradientDepth > 1) return original.call(this, x);
      this.backend.incRef(x.dataId);
      return this.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }, this.backend);
    };
  } else if (!enabled && was) {
    engine.clone = engine[ORIGINAL]!;
    delete engine[ORIGINAL];
  }
  return was;
}
