// The 'onednn' TF.js backend: tfjs-backend-cpu's MathBackendCPU (tensor data in JS typed arrays) with every
// cpu kernel re-registered for it and the hot kernels replaced by the oneDNN addon's, which run in place.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { requireAddon, type OneDnnAddon } from './addon';
import { convKernels } from './conv';
import { matMulKernels } from './matmul';
import { eltwiseKernelNames, eltwiseKernels } from './eltwise';
import { batchNormKernels, BN_TRAIN, BN_TRAIN_GRAD } from './batchnorm';
import { ONEDNN } from './util';
import { threadCount } from './threads';
import { applyPrecision, type Precision } from './precision';
import { optimizerKernels, OPTIMIZER_STEP } from './optimizer';
import { BufferPool } from './pool';
import { shareSavedTensors } from './saved';

/**
 * MathBackendCPU under another name; its storage is what the native kernels read and write. Kernel output
 * buffers are recycled through a BufferPool: storage writes and deletions are counted, reads disown.
 */
export class OneDnnBackend extends MathBackendCPU {
  readonly pool = new BufferPool(poolCapBytes());

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object {
    this.pool.retain(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: object, values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    if (this.data.has(dataId)) this.pool.release(this.data.get(dataId).values);
    this.pool.retain(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: object): tf.backend_util.BackendValues {
    if (this.data.has(dataId)) this.pool.expose(this.data.get(dataId).values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: object, force = false): boolean {
    const entry = this.data.has(dataId) ? this.data.get(dataId) : undefined;
    const done = super.disposeData(dataId, force);
    if (entry && !this.data.has(dataId)) this.pool.release(entry.values);
    return done;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}

/** Free-list cap of the buffer pool: UNLEARN_ONEDNN_POOL_MIB (0 disables reuse), default 1024 MiB. */
function poolCapBytes(): number {
  const v = process.env.UNLEARN_ONEDNN_POOL_MIB?.trim();
  const mib = v ? Number(v) : 1024;
  return Number.isFinite(mib) && mib >= 0 ? mib * 2 ** 20 : 2 ** 30;
}

/** Marks our kernel functions (global symbol: survives this module being loaded twice). */
const MARK = Symbol.for('overparam-unlearning.onednnKernel');
type Marked = tf.KernelFunc & { [MARK]?: true };

/** The native kernels by name, bound to the addon. */
function nativeKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  return {
    ...convKernels(addon),
    ...matMulKernels(addon),
    ...eltwiseKernels(addon),
    ...batchNormKernels(addon),
    ...optimizerKernels(addon),
  };
}

/** Names of the kernels the addon provides (for `unlearn info`). */
export function oneDnnKernelNames(): string[] {
  return [
    tf.Conv2D,
    tf.Conv2DBackpropInput,
    tf.Conv2DBackpropFilter,
    tf.BatchMatMul,
    ...eltwiseKernelNames,
    BN_TRAIN,
    BN_TRAIN_GRAD,
    OPTIMIZER_STEP,
  ];
}

/**
 * Kernel outputs are fresh, uninitialised buffers (malloc) freed when V8 collects them. glibc serves blocks
 * above its mmap threshold with fresh mmaps, page-faulted on first write (a 2 MiB activation: ~0.7 ms, 3x
 * the op itself); raising the threshold to 32 MiB (glibc's maximum) keeps them in the reusable heap.
 * UNLEARN_ONEDNN_MALLOC=0 leaves malloc alone.
 */
function tuneMalloc(addon: OneDnnAddon): void {
  if (process.env.UNLEARN_ONEDNN_MALLOC === '0' || process.platform !== 'linux') return;
  try {
    addon.setOption('mmapThreshold', 32 * 2 ** 20);
    addon.setOption('trimThreshold', 256 * 2 ** 20);
  } catch {
    // not glibc (e.g. musl): keep its defaults
  }
}

/** True when the kernel registered for (name, onednn) is one of the addon's. */
export function isNativeKernel(name: string): boolean {
  const cfg = tf.getKernel(name, ONEDNN);
  return !!cfg && !!(cfg.kernelFunc as Marked)[MARK];
}

/**
 * Registers the 'onednn' backend (once per process): loads the addon (throws when it is missing), copies
 * every cpu kernel to the new name and replaces the hot ones with native kernels. Then
 * `tf.setBackend('onednn')` selects it. `precision` sets the convolutions' (UNLEARN_PRECISION; default f32).
 * @example
 * registerOneDnnBackend(); await tf.setBackend('onednn');
 */
export function registerOneDnnBackend(precision: Precision = 'f32'): void {
  const addon = requireAddon();
  addon.setThreads(threadCount());
  applyPrecision(addon, precision);
  tuneMalloc(addon);
  if (tf.findBackendFactory(ONEDNN)) return;
  if (process.env.UNLEARN_ONEDNN_SHARE_SAVED !== '0') shareSavedTensors(true);
  for (const cfg of tf.getKernelsForBackend('cpu')) {
    if (!tf.getKernel(cfg.kernelName, ONEDNN)) tf.registerKernel({ ...cfg, backendName: ONEDNN });
  }
  for (const [kernelName, fn] of Object.entries(nativeKernels(addon))) {
    (fn as Marked)[MARK] = true;
    if (tf.getKernel(kernelName, ONEDNN)) tf.unregisterKernel(kernelName, ONEDNN);
    tf.registerKernel({ kernelName, backendName: ONEDNN, kernelFunc: fn });
  }
  tf.registerBackend(ONEDNN, () => new OneDnnBackend(), 0);
}
