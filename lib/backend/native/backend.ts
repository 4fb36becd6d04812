// The 'onednn' TF.js backend: tfjs-backend-cpu's MathBackendCPU (tensor data in JS typed arrays) with every
// cpu kernel re-registered for it and the hot kernels replaced by the oneDNN addon's, which run in place.
import * as os from 'os';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { requireAddon, type OneDnnAddon } from './addon';
import { convKernels } from './conv';
import { matMulKernels } from './matmul';
import { eltwiseKernelNames, eltwiseKernels } from './eltwise';
import { ONEDNN } from './util';

/** MathBackendCPU under another name; its storage is what the native kernels read and write. */
export class OneDnnBackend extends MathBackendCPU {}

/** Marks our kernel functions (global symbol: survives this module being loaded twice). */
const MARK = Symbol.for('overparam-unlearning.onednnKernel');
type Marked = tf.KernelFunc & { [MARK]?: true };

/** The native kernels by name, bound to the addon. */
function nativeKernels(addon: OneDnnAddon): Record<string, tf.KernelFunc> {
  return { ...convKernels(addon), ...matMulKernels(addon), ...eltwiseKernels(addon) };
}

/** Names of the kernels the addon provides (for `unlearn info`). */
export function oneDnnKernelNames(): string[] {
  return [tf.Conv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter, tf.BatchMatMul, ...eltwiseKernelNames];
}

/** Threads for the native kernels: UNLEARN_THREADS, default every core this process may use. */
export function threadCount(): number {
  const v = process.env.UNLEARN_THREADS?.trim();
  if (v) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`UNLEARN_THREADS='${v}' is not a positive integer`);
    return n;
  }
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** True when the kernel registered for (name, onednn) is one of the addon's. */
export function isNativeKernel(name: string): boolean {
  const cfg = tf.getKernel(name, ONEDNN);
  return !!cfg && !!(cfg.kernelFunc as Marked)[MARK];
}

/**
 * Registers the 'onednn' backend (once per process): loads the addon (throws when it is missing), copies
 * every cpu kernel to the new name and replaces the hot ones with native kernels. Then
 * `tf.setBackend('onednn')` selects it.
 * @example
 * registerOneDnnBackend(); await tf.setBackend('onednn');
 */
export function registerOneDnnBackend(): void {
  const addon = requireAddon();
  addon.setThreads(threadCount());
  if (tf.findBackendFactory(ONEDNN)) return;
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
