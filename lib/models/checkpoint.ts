// Checkpoint files: one self-describing binary bundle (magic, JSON header with a SHA-256 of the data,
// float32 little-endian data) written atomically through plain fs, so it works with every backend (not only
// tfjs-node's file://); a bundle whose bytes changed fails to load with an error naming the file.
import * as fs from 'fs';
import { createHash } from 'crypto';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../util/atomic';
import { DataError } from '../util/errors';
import type { Model, ModelSpec } from './types';

/** Format 2 carries `sha256` of the data section in its header; format 1 (no checksum) is still read. */
const MAGIC = 'UNLBNDL2';
const MAGIC_V1 = 'UNLBNDL1';

interface Entry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}
interface Header<M> {
  meta: M;
  tensors: Entry[];
  sha256?: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Named host arrays: what a bundle holds, and what `readTensors` returns. */
export type HostArrays = Record<string, { shape: number[]; values: Float32Array }>;

/** Writes named float32 tensors plus JSON metadata to one file, atomically (sync reads: CPU-memory backends). */
export function saveBundle<M>(file: string, meta: M, tensors: Record<string, tf.Tensor>): void {
  const arrays: HostArrays = {};
  for (const [name, t] of Object.entries(tensors)) arrays[name] = { shape: t.shape, values: t.dataSync() as Float32Array };
  writeBundle(file, meta, arrays);
}

/**
 * Reads tensors to host arrays asynchronously, all reads issued at once (every backend, webgpu included).
 * @example
 * writeBundle(file, meta, await readTensors(tensors));
 */
export async function readTensors(tensors: Record<string, tf.Tensor>): Promise<HostArrays> {
  const names = Object.keys(tensors);
  const values = await Promise.all(names.map((n) => tensors[n].data() as Promise<Float32Array>));
  return Object.fromEntries(names.map((n, i) => [n, { shape: tensors[n].shape, values: values[i] }]));
}

/** Writes named host arrays plus JSON metadata to one bundle file, atomically. */
export function writeBundle<M>(file: string, meta: M, arrays: HostArrays): void {
  const entries: Entry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    entries.push({ name, shape: a.shape, offset, size: a.values.length });
    offset += a.values.length;
  }
  const data = new Float32Array(offset);
  for (const e of entries) data.set(arrays[e.name].values, e.offset);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries, sha256: sha256(body) } satisfies Header<M>), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  writeFileAtomic(file, Buffer.concat([Buffer.from(MAGIC, 'ascii'), len, header, body]));
}

/** Parses and verifies a bundle's bytes: magic, header, data size and (format 2) the data's SHA-256. */
function parseBundle<M>(file: string, buf: Buffer): { header: Header<M>; dataStart: number } {
  const magic = buf.length >= 12 ? buf.toString('ascii', 0, 8) : '';
  if (magic !== MAGIC && magic !== MAGIC_V1) throw new DataError(file, `not a checkpoint bundle (expected magic ${MAGIC})`);
  const hlen = buf.readUInt32LE(8);
  const dataStart = 12 + hlen;
  if (dataStart > buf.length) throw new DataError(file, 'truncated checkpoint header');
  let header: Header<M>;
  try {
    header = JSON.parse(buf.toString('utf8', 12, dataStart)) as Header<M>;
  } catch (e) {
    throw new DataError(file, `corrupt checkpoint header (${(e as Error).message})`);
  }
  if (!Array.isArray(header?.tensors)) throw new DataError(file, 'corrupt checkpoint header (no tensor list)');
  const total = header.tensors.reduce((n, e) => n + e.size, 0);
  if (buf.length - dataStart !== total * 4) {
    throw new DataError(file, `checkpoint data has ${buf.length - dataStart} bytes, expected ${total * 4}`);
  }
  if (magic === MAGIC && sha256(buf.subarray(dataStart)) !== header.sha256) {
    throw new DataError(file, 'checkpoint data does not match its SHA-256 (the file is corrupt)');
  }
  return { header, dataStart };
}

/** Throws a DataError naming `file` unless it is a complete bundle whose checksum matches. */
export function verifyBundle(file: string): void {
  if (!fs.existsSync(file)) throw new DataError(file, 'checkpoint not found');
  parseBundle(file, fs.readFileSync(file));
}

/** Reads a bundle written by saveBundle (verifying its checksum); values come back as host arrays (no tensors created). */
export function loadBundle<M>(file: string): { meta: M; arrays: Record<string, { shape: number[]; values: Float32Array }> } {
  if (!fs.existsSync(file)) throw new DataError(file, 'checkpoint not found');
  const buf = fs.readFileSync(file);
  const { header, dataStart } = parseBundle<M>(file, buf);
  const total = header.tensors.reduce((n, e) => n + e.size, 0);
  // Copy into an aligned buffer (the file buffer's offset need not be a multiple of 4).
  const data = new Float32Array(total);
  Buffer.from(data.buffer).set(buf.subarray(dataStart));
  const arrays: Record<string, { shape: number[]; values: Float32Array }> = {};
  for (const e of header.tensors) arrays[e.name] = { shape: e.shape, values: data.subarray(e.offset, e.offset + e.size) };
  return { meta: header.meta, arrays };
}

function modelTensors(model: Model): Record<string, tf.Tensor> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [n, v] of Object.entries(model.params)) tensors[`param:${n}`] = v;
  for (const [n, v] of Object.entries(model.buffers)) tensors[`buffer:${n}`] = v;
  return tensors;
}

/** Saves a model (spec, parameters, buffers) to `file`, atomically (sync reads: CPU-memory backends). */
export function saveModel(model: Model, file: string, extraMeta: Record<string, unknown> = {}): void {
  saveBundle(file, { kind: 'model', spec: model.spec, ...extraMeta }, modelTensors(model));
}

/** A model read to host memory (`readModel`), written later with `writeModel`. */
export interface HostModel {
  spec: ModelSpec;
  arrays: HostArrays;
}

/**
 * Reads a model's parameters and buffers asynchronously (every backend, webgpu included).
 * @example
 * const host = await readModel(model); writeModel(host, file);
 */
export async function readModel(model: Model): Promise<HostModel> {
  return { spec: model.spec, arrays: await readTensors(modelTensors(model)) };
}

/** Writes a model read by `readModel` to `file`, atomically; loadModel reads it back. */
export function writeModel(host: HostModel, file: string, extraMeta: Record<string, unknown> = {}): void {
  writeBundle(file, { kind: 'model', spec: host.spec, ...extraMeta }, host.arrays);
}

/** Loads a model saved by saveModel; the result predicts identically to the saved one. */
export function loadModel(file: string): Model {
  const { meta, arrays } = loadBundle<{ kind: string; spec: ModelSpec }>(file);
  if (meta.kind !== 'model') throw new DataError(file, `bundle holds '${meta.kind}', expected a model`);
  const model: Model = { spec: meta.spec, params: {}, buffers: {} };
  for (const [key, a] of Object.entries(arrays)) {
    const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const v = tf.tidy(() => tf.variable(tf.tensor(a.values, a.shape), kind === 'param', `${name}#load${nextLoad++}`));
    (kind === 'param' ? model.params : model.buffers)[name] = v;
  }
  return model;
}
let nextLoad = 0;

/** Throws unless `arrays` holds every variable of `vars` under `prefix` with the variable's shape. */
export function checkArrays(
  vars: Record<string, tf.Variable>,
  arrays: Record<string, { shape: number[]; values: Float32Array }>,
  prefix: string,
): void {
  for (const [name, v] of Object.entries(vars)) {
    const a = arrays[`${prefix}${name}`];
    if (!a) throw new Error(`checkpoint lacks '${prefix}${name}'`);
    if (a.shape.join('x') !== v.shape.join('x'))
      throw new Error(`checkpoint '${prefix}${name}' has shape ${a.shape.join('x')}, the model ${v.shape.join('x')}`);
  }
}

/** Copies host arrays into existing variables (used when resuming a run); checks every name and shape first. */
export function assignArrays(
  vars: Record<string, tf.Variable>,
  arrays: Record<string, { shape: number[]; values: Float32Array }>,
  prefix: string,
): void {
  checkArrays(vars, arrays, prefix);
  for (const [name, v] of Object.entries(vars)) {
    const a = arrays[`${prefix}${name}`];
    tf.tidy(() => v.assign(tf.tensor(a.values, a.shape)));
  }
}
