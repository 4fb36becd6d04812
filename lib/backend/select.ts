// Compute-backend selection for TensorFlow.js: tfjs-node-gpu → tfjs-node → wasm (SIMD) → pure-JS cpu,
// overridable with UNLEARN_BACKEND. Project kernels for training on wasm/cpu are registered here.
import * as tf from '@tensorflow/tfjs-core';
// The union package registers every op's gradient on the shared tfjs-core (tfjs-core alone registers none).
import '@tensorflow/tfjs';
import { UsageError } from '../util/errors';

/** Backends in order of preference; the names are the values UNLEARN_BACKEND accepts. */
export const backendOrder = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendOrder)[number];

/** What `ensureBackend` chose and why; printed by `unlearn info` and notebook headers. */
export interface BackendInfo {
  /** Our name for the choice (tensorflow-gpu, tensorflow, wasm, cpu). */
  choice: BackendChoice;
  /** tf.getBackend() after selection. */
  tfBackend: string;
  /** Package versions of what loaded. */
  versions: Record<string, string>;
  /** Why each better candidate was skipped. */
  skipped: Record<string, string>;
  /** Whether the choice was forced by UNLEARN_BACKEND. */
  forced: boolean;
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

const loaders: Record<BackendChoice, Loader> = {
  'tensorflow-gpu': async () => {
    require('@tensorflow/tfjs-node-gpu');
    await tf.setBackend('tensorflow');
    const gpus = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
    if (gpus === false) throw new Error('tfjs-node-gpu loaded but no usable GPU device');
    return 'tensorflow';
  },
  tensorflow: async () => {
    require('@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend failed to initialise');
    return 'tensorflow';
  },
  wasm: async () => {
    require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
    return 'wasm';
  },
  cpu: async () => {
    require('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
    return 'cpu';
  },
};

function requested(): BackendChoice | undefined {
  const v = process.env.UNLEARN_BACKEND?.trim();
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
  const forcedChoice = requested();
  const candidates = forcedChoice ? [forcedChoice] : [...backendOrder];
  const skipped: Record<string, string> = {};
  for (const choice of candidates) {
    try {
      const tfBackend = await loaders[choice]();
      const { registerProjectKernels } = require('./kernels') as typeof import('./kernels');
      registerProjectKernels(tfBackend);
      current = { choice, tfBackend, versions: versions(), skipped, forced: !!forcedChoice };
      return current;
    } catch (e) {
      skipped[choice] = firstLine(e);
      if (forcedChoice) {
        throw new UsageError(`UNLEARN_BACKEND=${choice} could not be loaded: ${skipped[choice]}`);
      }
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${JSON.stringify(skipped)}`);
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 200);
}

function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
    out[p] = version(p);
  }
  return out;
}

/** The backend chosen so far, if any. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}
