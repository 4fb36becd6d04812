// Registers the project's training kernels where they beat a backend's own (wasm, cpu), following tfjs's
// modular-kernel API (tf.registerKernel with kernelFunc({inputs, backend, attrs})).
import * as tf from '@tensorflow/tfjs-core';
import { KernelComposer } from './compose';
import { conv2dBackpropFilterViaConv, conv2dBackpropInputViaConv } from './conv-grad';
import { ONEDNN, oneDnnKernelNames } from '../native/index';

/** Marks kernel functions registered by this module (global symbol: survives the module being loaded twice). */
const MARK = Symbol.for('overparam-unlearning.projectKernel');

type MarkedKernelFunc = tf.KernelFunc & { [MARK]?: { replaced?: tf.KernelConfig } };

/** Which project kernels each backend gets, by measurement (`npx tsx bench/kernels.ts`). */
const PLAN: Record<string, readonly string[]> = {
  // wasm has no Conv2DBackpropFilter at all, and its Conv2DBackpropInput is a scalar C++ loop: XNNPACK's
  // Conv2D route was 6-15x faster for ResNet-like shapes (stride 1 and 2, 1x1 shortcuts).
  wasm: [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput],
  // cpu's own Conv2DBackpropFilter was 5-190x slower than cpu's Conv2D plus transposes; its own
  // Conv2DBackpropInput was 1.3-2.6x faster than ours there, so it stays.
  cpu: [tf.Conv2DBackpropFilter],
};

const composers = new WeakMap<object, KernelComposer>();
function composer(backendName: string, backend: {}): KernelComposer {
  let k = composers.get(backend);
  if (!k) {
    k = new KernelComposer(backendName, backend as tf.KernelBackend);
    composers.set(backend, k);
  }
  return k;
}

function makeKernelFunc(kernelName: string, backendName: string, replaced: tf.KernelConfig | undefined): MarkedKernelFunc {
  let fn: MarkedKernelFunc;
  if (kernelName === tf.Conv2DBackpropFilter) {
    fn = ({ inputs, backend, attrs }) =>
      conv2dBackpropFilterViaConv(composer(backendName, backend), inputs.x!, inputs.dy!, attrs as unknown as tf.Conv2DBackpropFilterAttrs);
  } else if (kernelName === tf.Conv2DBackpropInput) {
    fn = (args) => {
      const out = conv2dBackpropInputViaConv(
        composer(backendName, args.backend),
        args.inputs.dy!,
        args.inputs.filter!,
        args.attrs as unknown as tf.Conv2DBackpropInputAttrs,
      );
      if (out) return out;
      if (!replaced) throw new Error(`${kernelName}: layout not supported by the project kernel on '${backendName}'`);
      return replaced.kernelFunc(args);
    };
  } else {
    throw new Error(`no project kernel named '${kernelName}'`);
  }
  fn[MARK] = { replaced };
  return fn;
}

/** True when the kernel registered for (name, backend) is one of ours. */
export function isProjectKernel(kernelName: string, backendName: string): boolean {
  const cfg = tf.getKernel(kernelName, backendName);
  return !!cfg && !!(cfg.kernelFunc as MarkedKernelFunc)[MARK];
}

/**
 * Registers one project kernel for a backend, replacing (and remembering, as fallback) the backend's own.
 * Idempotent. Exposed for benchmarks and tests; normal code calls `registerProjectKernels`.
 */
export function registerProjectKernel(kernelName: string, backendName: string): void {
  if (isProjectKernel(kernelName, backendName)) return;
  const existing = tf.getKernel(kernelName, backendName);
  if (existing) tf.unregisterKernel(kernelName, backendName);
  // Keep the replaced kernel's setup/dispose hooks: our fallback path calls its kernelFunc.
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: makeKernelFunc(kernelName, backendName, existing),
    setupFunc: existing?.setupFunc,
    disposeFunc: existing?.disposeFunc,
  });
}

/** Restores the backend's own kernel (or none) in place of a project kernel. For benchmarks and tests. */
export function unregisterProjectKernel(kernelName: string, backendName: string): void {
  const cfg = tf.getKernel(kernelName, backendName);
  const mark = cfg && (cfg.kernelFunc as MarkedKernelFunc)[MARK];
  if (!mark) return;
  tf.unregisterKernel(kernelName, backendName);
  if (mark.replaced) tf.registerKernel(mark.replaced);
}

/**
 * Registers the project kernels planned for the named tfjs backend (wasm: Conv2DBackpropFilter and
 * Conv2DBackpropInput as forward convolutions; cpu: Conv2DBackpropFilter); a no-op for native TensorFlow
 * and other backends. Idempotent.
 * @example
 * await tf.setBackend('wasm'); registerProjectKernels('wasm');
 */
export function registerProjectKernels(tfBackend: string): void {
  for (const name of PLAN[tfBackend] ?? []) registerProjectKernel(name, tfBackend);
}

/**
 * The kernels `registerProjectKernels` installs for a backend (for `unlearn info` and tests); for the native
 * onednn backend, the addon's kernels (registered with the backend itself by registerOneDnnBackend).
 */
export function plannedProjectKernels(tfBackend: string): readonly string[] {
  if (tfBackend === ONEDNN) return oneDnnKernelNames();
  return PLAN[tfBackend] ?? [];
}
