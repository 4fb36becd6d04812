// Registers TensorFlow.js's WebGPU backend (@tensorflow/tfjs-backend-webgpu 4.22, its base.ts factory) on the
// adapter chosen by findAdapter, so the adapter tfjs uses is the one `unlearn info` reports.
import * as tf from '@tensorflow/tfjs-core';
import { findAdapter, type AdapterDescription, type FindAdapterOptions, type GpuAdapterLike } from './adapter';

/** The tfjs backend name. */
export const WEBGPU = 'webgpu';

let loaded: AdapterDescription | undefined;

/** The device tfjs-backend-webgpu's own factory requests: its optional features and the adapter's limits. */
async function requestDevice(adapter: GpuAdapterLike): Promise<unknown> {
  const features = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
  const l = adapter.limits;
  const limits = [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
  ];
  return adapter.requestDevice({ requiredFeatures: features, requiredLimits: Object.fromEntries(limits.map((k) => [k, l[k]])) });
}

/**
 * Finds an adapter, loads tfjs-backend-webgpu, registers it on that adapter and makes it current.
 * @returns the adapter's description
 * @example
 * const a = await loadWebGpu({ allowFallback: true }); a.isFallback;
 */
export async function loadWebGpu(o: FindAdapterOptions): Promise<AdapterDescription> {
  if (loaded && tf.getBackend() === WEBGPU) return loaded;
  try {
    require.resolve('@tensorflow/tfjs-backend-webgpu');
  } catch {
    throw new Error("npm package '@tensorflow/tfjs-backend-webgpu' is not installed (an optionalDependency; run npm install)");
  }
  const { adapter, description } = await findAdapter(o); // installs navigator.gpu first: the module checks it on load
  const mod = require('@tensorflow/tfjs-backend-webgpu') as { WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend };
  tf.removeBackend(WEBGPU); // the module registered its own factory (which would request another adapter)
  tf.registerBackend(WEBGPU, async () => new mod.WebGPUBackend(await requestDevice(adapter), adapter.info), 3);
  if (!(await tf.setBackend(WEBGPU))) throw new Error(`webgpu backend failed to initialise on ${description.vendor || 'the adapter'}`);
  loaded = description;
  return description;
}

/** The adapter the webgpu backend runs on, once loaded. */
export function webGpuAdapter(): AdapterDescription | undefined {
  return loaded;
}
