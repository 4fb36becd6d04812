// Per-kernel wall-time profile of a TF.js backend: wraps every kernel registered for it with a timer
// (like tf.profile's kernel list, but cumulative and cheap enough for whole training steps).
import * as tf from '@tensorflow/tfjs-core';

/** Cumulative time and calls of one kernel. */
export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

/**
 * Wraps the kernels of `backendName` with timers until the returned `stop()`; `report()` lists kernels by
 * total time, most expensive first.
 * @example
 * const p = profileKernels('onednn'); step(); console.table(p.report()); p.stop();
 */
export function profileKernels(backendName: string): { report(): KernelTime[]; reset(): void; stop(): void } {
  const times = new Map<string, KernelTime>();
  const originals = tf.getKernelsForBackend(backendName);
  for (const cfg of originals) {
    const inner = cfg.kernelFunc;
    const timed: tf.KernelFunc = (args) => {
      const t0 = performance.now();
      const out = inner(args);
      const e = times.get(cfg.kernelName) ?? { kernel: cfg.kernelName, ms: 0, calls: 0 };
      e.ms += performance.now() - t0;
      e.calls++;
      times.set(cfg.kernelName, e);
      return out;
    };
    tf.unregisterKernel(cfg.kernelName, backendName);
    tf.registerKernel({ ...cfg, kernelFunc: timed });
  }
  return {
    report: () => [...times.values()].sort((a, b) => b.ms - a.ms),
    reset: () => times.clear(),
    stop: () => {
      for (const cfg of originals) {
        tf.unregisterKernel(cfg.kernelName, backendName);
        tf.registerKernel(cfg);
      }
    },
  };
}
