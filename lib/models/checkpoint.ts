// Checkpoint files: one self-describing binary bundle (magic, JSON header, float32 little-endian data)
// written atomically through plain fs, so it works with every backend (not only tfjs-node's file://).
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../util/atomic';
import { DataError } from '../util/errors';
import type { Model, ModelSpec } from './types';

const MAGIC = 'UNLBNDL1';

interface Entry { name: string; shape: number[]; offset: number; size: number }
interface Header<M> { meta: M; tensors: Entry[] }

/** Writes named float32 tensors plus JSON metadata to one file, atomically. */
export function saveBundle<M>(file: string, meta: M, tensors: Record<string, tf.Tensor>): void {
  const entries: Entry[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    entries.push({ name, shape: t.shape, offset, size: t.size });
    offset += t.size;
  }
  const data = new Float32Array(offset);
  for (const e of entries) data.set(tensors[e.name].dataSync() as Float32Array, e.offset);
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries } satisfies Header<M>), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileAtomic(file, Buffer.concat([Buffer.from(MAGIC, 'ascii'), len, header, body]));
}

/** Reads a bundle written by saveBundle; values come back as host arrays (no tensors created). */
export function loadBundle<M>(file: string): { meta: M; arrays: Record<string, { shape: number[]; values: Float32Array }> } {
  if (!fs.existsSync(file)) throw new DataError(file, 'checkpoint not found');
  const buf = fs.readFileSync(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 8) !== MAGIC) throw new DataError(file, `not a checkpoint bundle (expected magic ${MAGIC})`);
  const hlen = buf.readUInt32LE(8);
  const dataStart = 12 + hlen;
  if (dataStart > buf.length) throw new DataError(file, 'truncated checkpoint header');
  const header = JSON.parse(buf.toString('utf8', 12, dataStart)) as Header<M>;
  const total = header.tensors.reduce((n, e) => n + e.size, 0);
  if (buf.length - dataStart !== total * 4) {
    throw new DataError(file, `checkpoint data has ${buf.length - dataStart} bytes, expected ${total * 4}`);
  }
  // Copy into an aligned buffer (the file buffer's offset need not be a multiple of 4).
  const data = new Float32Array(total);
  Buffer.from(data.buffer).set(buf.subarray(dataStart));
  const arrays: Record<string, { shape: number[]; values: Float32Array }> = {};
  for (const e of header.tensors) arrays[e.name] = { shape: e.shape, values: data.subarray(e.offset, e.offset + e.size) };
  return { meta: header.meta, arrays };
}

/** Saves a model (spec, parameters, buffers) to `file`, atomically. */
export function saveModel(model: Model, file: string, extraMeta: Record<string, unknown> = {}): void {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [n, v] of Object.entries(model.params)) tensors[`param:${n}`] = v;
  for (const [n, v] of Object.entries(model.buffers)) tensors[`buffer:${n}`] = v;
  saveBundle(file, { kind: 'model', spec: model.spec, ...extraMeta }, tensors);
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

/** Copies host arrays into existing variables (used when resuming a run). */
export function assignArrays(vars: Record<string, tf.Variable>, arrays: Record<string, { shape: number[]; values: Float32Array }>, prefix: string): void {
  for (const [name, v] of Object.entries(vars)) {
    const a = arrays[`${prefix}${name}`];
    if (!a) throw new Error(`checkpoint lacks '${prefix}${name}'`);
    tf.tidy(() => v.assign(tf.tensor(a.values, a.shape)));
  }
}
