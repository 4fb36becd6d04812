// WebGPU adapter discovery in Node through Dawn (npm `webgpu`), following ../shared/notes/webgpu.md: globals
// and navigator.gpu before tfjs-backend-webgpu loads, and a precise reason when no usable adapter exists.
import * as fs from 'fs';
import * as path from 'path';

/** What `unlearn info`, notebook headers and store keys show about the adapter. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters (lavapipe/llvmpipe, SwiftShader): never auto-selected. */
  isFallback: boolean;
  /** Optional features the adapter offers (e.g. shader-f16, timestamp-query). */
  features: string[];
  /** Largest storage-buffer binding in bytes (lavapipe: 128 MiB). */
  maxStorageBufferBindingSize: number;
}

/** The parts of the WebGPU API used here (types of our own: the `webgpu` package is optional). */
export interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  readonly info?: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor?: object): Promise<unknown>;
}
export interface GpuLike {
  requestAdapter(options?: object): Promise<GpuAdapterLike | null>;
}

/** Options of `findAdapter`. */
export interface FindAdapterOptions {
  /** Accept a software (fallback) adapter such as lavapipe; set when UNLEARN_BACKEND=webgpu forces it. */
  allowFallback: boolean;
  /** Dawn toggles passed to create(), e.g. ['backend=vulkan']; default from UNLEARN_DAWN_FLAGS (comma-separated). */
  dawnFlags?: string[];
}

let gpu: GpuLike | undefined;

/** Dawn's GPU object, created once per process, with Dawn's classes installed as globals (tfjs needs them). */
export function dawnGpu(flags: string[]): GpuLike {
  if (gpu) return gpu;
  try {
    require.resolve('webgpu');
  } catch {
    throw new Error(
      "npm package 'webgpu' (Dawn) is not installed: it is an optionalDependency; run npm install (or copy node_modules/webgpu, see environment.md)",
    );
  }
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    dawn = require('webgpu');
  } catch (e) {
    throw new Error(
      `Dawn (npm 'webgpu', dawn.node) failed to load on ${process.platform}-${process.arch}: ${(e as Error).message.split('\n')[0]} (needs glibc ≥ 2.34, GLIBCXX_3.4.30)`,
    );
  }
  Object.assign(globalThis, dawn.globals);
  gpu = dawn.create(flags);
  // Node 20 has no navigator; Node 21+ has one without `gpu` (its properties are getters, hence defineProperty).
  const g = globalThis as { navigator?: object };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, writable: true, configurable: true });
  Object.defineProperty(g.navigator!, 'gpu', { value: gpu, writable: true, configurable: true });
  return gpu;
}

const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/lib64',
  '/usr/local/lib',
];
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/** Why Vulkan cannot work on Linux (no loader, no driver manifest), or undefined when both are present. */
export function vulkanProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform !== 'linux') return undefined; // Metal / D3D12 elsewhere
  const libDirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LIB_DIRS];
  if (!libDirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')))) {
    return 'the Vulkan loader libvulkan.so.1 is missing (Debian/Ubuntu package libvulkan1)';
  }
  const listed = (env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES ?? '').split(':').filter(Boolean);
  const icds = listed.length
    ? listed.filter((f) => fs.existsSync(f))
    : ICD_DIRS.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.json')) : []));
  if (!icds.length) {
    return 'no Vulkan driver is installed (no ICD manifest in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d): install the GPU driver (NVIDIA driver with its Vulkan ICD, Mesa RADV/ANV), or mesa-vulkan-drivers (lavapipe) for a software adapter';
  }
  return undefined;
}

/** Vulkan driver manifests of software rasterisers (Mesa lavapipe, SwiftShader): no GPU behind them. */
const SOFTWARE_ICD = /^(lvp|lavapipe|swiftshader|vk_swiftshader)[_.]/i;

/**
 * Why auto-selection can skip webgpu without loading Dawn (Linux): no Vulkan loader or driver, no GPU device
 * node, or only software drivers installed; undefined when a hardware driver may be present (or on other platforms).
 */
export function softwareOnlyVulkan(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const problem = vulkanProblem(env);
  if (problem) return problem;
  if (env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES) return undefined;
  // Hardware Vulkan drivers need a device node: DRM render nodes (Mesa RADV/ANV/NVK), NVIDIA's, or WSL's.
  const dri = fs.existsSync('/dev/dri') ? fs.readdirSync('/dev/dri').filter((f) => f.startsWith('renderD')) : [];
  if (!dri.length && !['/dev/nvidia0', '/dev/nvidiactl', '/dev/dxg'].some((f) => fs.existsSync(f))) {
    return 'no GPU device node (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg); UNLEARN_BACKEND=webgpu forces a software adapter';
  }
  const icds = ICD_DIRS.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.json')) : []));
  if (icds.every((f) => SOFTWARE_ICD.test(f)))
    return `only software Vulkan drivers installed (${icds.join(', ')}), no GPU; UNLEARN_BACKEND=webgpu forces the software adapter`;
  return undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Plain-data description of an adapter (GPUAdapterInfo's fields are getters, invisible to JSON). */
export function describeAdapter(a: GpuAdapterLike): AdapterDescription {
  const i = a.info ?? {};
  return {
    vendor: str(i.vendor),
    architecture: str(i.architecture),
    device: str(i.device),
    description: str(i.description),
    isFallback: i.isFallbackAdapter === true || a.isFallbackAdapter === true,
    features: [...a.features].sort(),
    maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
  };
}

/** vendor / architecture / device: the part of the adapter that goes into store keys (lib/backend/select.ts). */
export function adapterKey(d: AdapterDescription): string {
  return [d.vendor, d.architecture, d.device].map((s) => s || '?').join(' / ');
}

/** One line: vendor / architecture / device (description), fallback flag. */
export function adapterLabel(d: AdapterDescription): string {
  const name = [d.vendor, d.architecture, d.device].filter(Boolean).join(' / ') || 'unnamed adapter';
  return `${name}${d.description ? ` (${d.description})` : ''}${d.isFallback ? ', software fallback adapter' : ''}`;
}

/** The adapter request tfjs-backend-webgpu makes (high-performance unless its low-power flag is set). */
export const ADAPTER_REQUEST = { powerPreference: 'high-performance' } as const;

/**
 * A usable adapter, or an Error saying exactly what is missing: the `webgpu` package, Dawn's binary, the
 * Vulkan loader, a driver, any adapter, or (unless allowed) a hardware one.
 * @example
 * const { adapter, description } = await findAdapter({ allowFallback: false });
 */
export async function findAdapter(o: FindAdapterOptions): Promise<{ adapter: GpuAdapterLike; description: AdapterDescription }> {
  const flags =
    o.dawnFlags ??
    (process.env.UNLEARN_DAWN_FLAGS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const g = dawnGpu(flags);
  const adapter = await g.requestAdapter(ADAPTER_REQUEST);
  if (!adapter) {
    const vk = vulkanProblem();
    throw new Error(
      vk
        ? `no WebGPU adapter: ${vk}`
        : "no WebGPU adapter: Dawn rejected every Vulkan device (driver too old? Debian 12's Mesa 22.3 is rejected, Mesa ≥ 24 works; check `vulkaninfo --summary`)",
    );
  }
  const description = describeAdapter(adapter);
  if (description.isFallback && !o.allowFallback) {
    throw new Error(`only a software adapter (${adapterLabel(description)}); no hardware GPU adapter. UNLEARN_BACKEND=webgpu forces it`);
  }
  return { adapter, description };
}
