// Compute-backend selection for TensorFlow.js: tfjs-node-gpu → WebGPU (Dawn, hardware adapters) → tfjs-node →
// onednn (optional native addon) → wasm (SIMD) → pure-JS cpu, overridable with UNLEARN_BACKEND; UNLEARN_PRECISION=bf16
// selects onednn with bfloat16 convolutions. Project kernels for training on wasm/cpu are registered here.
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op's gradient on the shared tfjs-core (tfjs-core alone registers none).
import '@tensorflow/tfjs';
import { UsageError } from '../util/errors';
import { plannedProjectKernels, registerProjectKernels } from './kernels/index';
import { loadAddon, registerOneDnnBackend, requestedPrecision, ONEDNN, type Precision } from './native/index';
import { adapterKey, softwareOnlyVulkan, type AdapterDescription } from './webgpu/adapter';
import { loadWebGpu, webGpuAdapter } from './webgpu/backend';

/** Backends in order of preference; the names are the values UNLEARN_BACKEND accepts. */
export const backendOrder = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'onednn', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendOrder)[number];

/** What `ensureBackend` chose and why; printed by `unlearn info` and notebook headers. */
export interface BackendInfo {
  /** Our name for the choice (tensorflow-gpu, webgpu, tensorflow, onednn, wasm, cpu). */
  choice: BackendChoice;
  /** tf.getBackend() after selection. */
  tfBackend: string;
  /** Package versions of what loaded. */
  versions: Record<string, string>;
  /** Why each better candidate was skipped. */
  skipped: Record<string, string>;
  /** Whether the choice was forced by UNLEARN_BACKEND. */
  forced: boolean;
  /** Kernels the project registered in place of (or in addition to) the backend's own. */
  projectKernels: string[];
  /** On webgpu: the adapter (vendor, architecture, device, fallback or not, features). */
  adapter?: AdapterDescription;
  /** The convolutions' precision (UNLEARN_PRECISION): f32 everywhere, bf16 only on onednn. */
  precision: Precision;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

function version(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

type Loader = () => Promise<string>;

/**
 * Why no CUDA GPU can be usable here, checked before loading tfjs-node-gpu (loading libtensorflow's GPU
 * build takes seconds and cannot be undone); undefined when a GPU may be present.
 */
function noGpuReason(): string | undefined {
  if (process.platform !== 'linux') return `tfjs-node-gpu supports only Linux (platform ${process.platform})`;
  const visible = process.env.CUDA_VISIBLE_DEVICES?.trim();
  if (visible === '' || visible === '-1') return `CUDA_VISIBLE_DEVICES='${visible}' hides every GPU`;
  // NVIDIA driver device nodes (Linux, containers with the NVIDIA runtime) or WSL2's GPU paravirtualisation.
  const devices = ['/dev/nvidiactl', '/dev/nvidia0', '/proc/driver/nvidia/version', '/dev/dxg'];
  if (!devices.some((d) => fs.existsSync(d))) return 'no NVIDIA GPU device found (/dev/nvidia*, /dev/dxg)';
  return undefined;
}

/** Set when tfjs-node-gpu was loaded but TensorFlow found no GPU: its backend then runs on the CPU. */
let gpuBuildWithoutGpu = false;

const loaders: Record<BackendChoice, Loader> = {
  'tensorflow-gpu': async () => {
    require.resolve('@tensorflow/tfjs-node-gpu'); // throws "Cannot find module" when not installed
    const reason = noGpuReason();
    if (reason) throw new Error(reason);
    require('@tensorflow/tfjs-node-gpu');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node-gpu backend failed to initialise');
    // NodeJSKernelBackend.isUsingGpuDevice (tfjs-node 4.x) is true when TensorFlow's device list has a GPU,
    // i.e. the CUDA 11.2 / cuDNN 8.1 libraries loaded and a device is visible.
    if ((tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice !== true) {
      gpuBuildWithoutGpu = true;
      throw new Error(
        'tfjs-node-gpu loaded but TensorFlow found no usable GPU (CUDA 11.2/cuDNN 8.1 libraries missing, or no device); its CPU kernels serve the tensorflow choice',
      );
    }
    return 'tensorflow';
  },
  webgpu: async () => {
    const forced = requested() === 'webgpu';
    // Without a GPU, skip before loading Dawn (21 MB, and it prints warnings) when only lavapipe is installed.
    const soft = forced ? undefined : softwareOnlyVulkan();
    if (soft) throw new Error(soft);
    await loadWebGpu({ allowFallback: forced });
    return 'webgpu';
  },
  tensorflow: async () => {
    // After a GPU-less tfjs-node-gpu load the 'tensorflow' backend is that build (same CPU kernels);
    // loading tfjs-node as well would put a second libtensorflow into the process.
    if (!gpuBuildWithoutGpu) require('@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend failed to initialise');
    return 'tensorflow';
  },
  onednn: async () => {
    // Throws (skipped) when the addon is not built or cannot load (no libdnnl, another OS), or has no bf16 convolution.
    registerOneDnnBackend(requestedPrecision());
    if (!(await tf.setBackend(ONEDNN))) throw new Error('onednn backend failed to initialise');
    return ONEDNN;
  },
  wasm: async () => {
    require('@tensorflow/tfjs-backend-wasm');
    const before = processHandlers();
    const ok = await tf.setBackend('wasm');
    dropNewHandlers(before);
    if (!ok) throw new Error('wasm backend failed to initialise');
    return 'wasm';
  },
  cpu: async () => {
    require('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
    return 'cpu';
  },
};

type Handlers = Record<'uncaughtException' | 'unhandledRejection', Function[]>;
const processHandlers = (): Handlers => ({
  uncaughtException: process.listeners('uncaughtException'),
  unhandledRejection: process.listeners('unhandledRejection'),
});

/**
 * The wasm module (Emscripten) installs process handlers that rethrow every unhandled rejection and uncaught
 * exception, which kills a notebook kernel on a stray rejected promise; remove them so the host (tslab, Node)
 * keeps its own behaviour.
 */
function dropNewHandlers(before: Handlers): void {
  for (const h of process.listeners('uncaughtException'))
    if (!before.uncaughtException.includes(h)) process.removeListener('uncaughtException', h);
  for (const h of process.listeners('unhandledRejection'))
    if (!before.unhandledRejection.includes(h)) process.removeListener('unhandledRejection', h);
}

/** The backend UNLEARN_BACKEND asks for (undefined: auto); an unknown name is a UsageError listing the valid ones. */
export function requested(env: NodeJS.ProcessEnv = process.env): BackendChoice | undefined {
  const v = env.UNLEARN_BACKEND?.trim();
  if (!v || v === 'auto') return undefined;
  if (!(backendOrder as readonly string[]).includes(v)) {
    throw new UsageError(`UNLEARN_BACKEND='${v}' is not a backend; expected one of: auto, ${backendOrder.join(', ')}`);
  }
  return v as BackendChoice;
}

/**
 * Selects and initialises the best backend that loads (once per process); call before creating tensors.
 * @example
 * const info = await ensureBackend(); console.log(info.choice);
 */
export function ensureBackend(): Promise<BackendInfo> {
  if (current) return Promise.resolve(current);
  if (!pending) pending = select();
  return pending;
}

async function select(): Promise<BackendInfo> {
  const precision = requestedPrecision();
  const forcedChoice = requested();
  if (precision === 'bf16' && forcedChoice && forcedChoice !== 'onednn') {
    throw new UsageError(`UNLEARN_PRECISION=bf16 runs on the onednn backend only, but UNLEARN_BACKEND=${forcedChoice}; unset one of them`);
  }
  // bf16 convolutions exist on onednn only: asking for them selects it.
  const only: BackendChoice | undefined = precision === 'bf16' ? 'onednn' : forcedChoice;
  const candidates = only ? [only] : [...backendOrder];
  const skipped: Record<string, string> = {};
  for (const choice of candidates) {
    try {
      const tfBackend = await loaders[choice]();
      // The cpu backend (and onednn, built on it) prints a 'install tfjs-node' banner on first use; the choice is reported instead.
      const be = tf.backend() as { firstUse?: boolean };
      if (be.firstUse !== undefined) be.firstUse = false;
      registerProjectKernels(tfBackend);
      const projectKernels = [...plannedProjectKernels(tfBackend)];
      current = { choice, tfBackend, versions: versions(), skipped, forced: !!forcedChoice, projectKernels, precision };
      if (tfBackend === 'webgpu') current.adapter = webGpuAdapter();
      return current;
    } catch (e) {
      skipped[choice] = firstLine(e);
      if (only) {
        const why = forcedChoice ? `UNLEARN_BACKEND=${choice}` : `UNLEARN_PRECISION=bf16 needs the onednn backend, which`;
        throw new UsageError(`${why} could not be loaded: ${skipped[choice]}`);
      }
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${JSON.stringify(skipped)}`);
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 360);
}

function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const p of [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgpu',
    'webgpu',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
  ]) {
    out[p] = version(p);
  }
  const addon = loadAddon();
  if (addon) {
    const i = addon.info();
    const bf16 = i.convPrecision === 'bf16' ? `; bf16 convolutions: ${i.convPrecisionImpl}` : '';
    out.oneDNN = `${i.dnnl} (addon; ${i.threads} thread${i.threads === 1 ? '' : 's'}; ${i.isa} loops${bf16})`;
  }
  return out;
}

/** What of the compute changes stored numbers; part of every store key (lib/store/store.ts). */
export interface ComputeIdentity {
  /** The backend choice (onednn, wasm, cpu, tensorflow, tensorflow-gpu, webgpu), or 'none' before selection. */
  backend: string;
  /** On webgpu: the adapter (vendor / architecture / device): kernels and their summation order differ per GPU. */
  adapter?: string;
  /** Present (bf16) only when the convolutions run in bfloat16: f32 results keep their keys. */
  precision?: 'bf16';
}

/**
 * The backend (on webgpu, with the adapter). Same identity and same config → bit-identical results. The onednn
 * backend's thread count is not part of it: its reductions use fixed partitions and its filter gradient fixed
 * batch chunks, so 1 and N threads give the same bits (test/backend-native.test.ts checks it).
 * @example
 * computeIdentity(); // { backend: 'onednn' }
 */
export function computeIdentity(): ComputeIdentity {
  if (!current) return { backend: 'none' };
  if (current.choice === 'webgpu' && current.adapter) return { backend: current.choice, adapter: adapterKey(current.adapter) };
  if (current.precision === 'bf16') return { backend: current.choice, precision: 'bf16' };
  return { backend: current.choice };
}

/** The backend chosen so far, if any. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}
