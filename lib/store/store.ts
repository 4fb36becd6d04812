// The model/result store: every computed thing is keyed by the hash of its full config and stored with it
// (config.json, result.json, optional model.ckpt), written atomically; a re-run reuses it, and a run
// interrupted mid-way resumes from its partial checkpoint.
import * as fs from 'fs';
import * as path from 'path';
import { configHash, canonicalJson } from '../util/hash';
import { readJsonIfExists, writeDirAtomic, writeJsonAtomic } from '../util/atomic';
import { saveModel, loadModel } from '../models/checkpoint';
import type { Model } from '../models/types';
import { disposeModel } from '../models/model';
import { backendInfo } from '../backend/select';
import { storeRoot } from '../util/paths';


/** A stored computation. */
export interface StoreEntry<C, R> {
  kind: string;
  hash: string;
  dir: string;
  config: C;
  result: R;
  /** Present when the computation produced a model. */
  modelFile?: string;
  /** Whether this call computed it (false: reused from disk). */
  computed: boolean;
  /** Provenance: backend, versions, host, time. */
  meta: StoreMeta;
}

export interface StoreMeta { createdAt: string; seconds: number; backend: string; versions: Record<string, string>; host: string }

/** What a computation gets: where to keep its resumable partial state. */
export interface ComputeContext { hash: string; checkpoint: string }

/** What a computation returns: a JSON result and optionally a model to store beside it (then disposed). */
export interface Computed<R> { result: R; model?: Model }

/** Directory of the entry for (kind, config). */
export function entryDir(kind: string, config: unknown, root = storeRoot()): string {
  return path.join(root, kind, configHash(config));
}

/** Reads a finished entry, or undefined. */
export function readEntry<C, R>(kind: string, config: C, root = storeRoot()): StoreEntry<C, R> | undefined {
  const dir = entryDir(kind, config, root);
  const result = readJsonIfExists<R>(path.join(dir, 'result.json'));
  if (result === undefined) return undefined;
  const stored = readJsonIfExists<C>(path.join(dir, 'config.json'));
  if (canonicalJson(stored) !== canonicalJson(config)) {
    throw new Error(`${dir}: stored config differs from the requested one (hash collision or edited file)`);
  }
  const modelFile = path.join(dir, 'model.ckpt');
  const meta = readJsonIfExists<StoreMeta>(path.join(dir, 'meta.json')) as StoreMeta;
  return { kind, hash: path.basename(dir), dir, config, result, modelFile: fs.existsSync(modelFile) ? modelFile : undefined, computed: false, meta };
}

/**
 * Returns the stored entry for (kind, config), computing and storing it first if missing.
 * @example
 * const e = await cached('original', cfg, async (ctx) => ({ result: { acc }, model }));
 */
export async function cached<C, R>(kind: string, config: C, compute: (ctx: ComputeContext) => Promise<Computed<R>>, root = storeRoot()): Promise<StoreEntry<C, R>> {
  const existing = readEntry<C, R>(kind, config, root);
  if (existing) return existing;
  const dir = entryDir(kind, config, root);
  const hash = path.basename(dir);
  const checkpoint = path.join(root, kind, `${hash}.partial.ckpt`);
  const t0 = Date.now();
  const out = await compute({ hash, checkpoint });
  const info = backendInfo();
  const meta: StoreMeta = {
    createdAt: new Date().toISOString(),
    seconds: (Date.now() - t0) / 1000,
    backend: info?.choice ?? 'unknown',
    versions: info?.versions ?? {},
    host: `${process.platform}-${process.arch}`,
  };
  writeDirAtomic(dir, (tmp) => {
    writeJsonAtomic(path.join(tmp, 'config.json'), config);
    writeJsonAtomic(path.join(tmp, 'meta.json'), meta);
    if (out.model) saveModel(out.model, path.join(tmp, 'model.ckpt'), { kind: 'model', storeKind: kind, hash });
    writeJsonAtomic(path.join(tmp, 'result.json'), out.result);
  });
  fs.rmSync(checkpoint, { force: true });
  if (out.model) disposeModel(out.model);
  const entry = readEntry<C, R>(kind, config, root);
  if (!entry) throw new Error(`${dir}: entry vanished after writing`);
  return { ...entry, computed: true };
}

/** Loads the model stored with an entry. */
export function loadEntryModel(entry: StoreEntry<unknown, unknown>): Model {
  if (!entry.modelFile) throw new Error(`${entry.dir}: this ${entry.kind} entry has no stored model`);
  return loadModel(entry.modelFile);
}

/** Lists the entries of a kind (config + result), for sweeps and figure tables; `match` filters by hash first. */
export function listEntries<C, R>(kind: string, root = storeRoot(), match: (hash: string) => boolean = () => true): StoreEntry<C, R>[] {
  const dir = path.join(root, kind);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  const out: StoreEntry<C, R>[] = [];
  for (const hash of fs.readdirSync(dir)) {
    if (!match(hash)) continue;
    const d = path.join(dir, hash);
    const config = readJsonIfExists<C>(path.join(d, 'config.json'));
    const result = readJsonIfExists<R>(path.join(d, 'result.json'));
    if (config === undefined || result === undefined) continue;
    const modelFile = path.join(d, 'model.ckpt');
    out.push({ kind, hash, dir: d, config, result, modelFile: fs.existsSync(modelFile) ? modelFile : undefined, computed: false, meta: readJsonIfExists<StoreMeta>(path.join(d, 'meta.json')) as StoreMeta });
  }
  return out;
}

/** Finds a finished entry by hash (or a unique hash prefix) in any kind. */
export function findEntry(hash: string, root = storeRoot()): StoreEntry<unknown, unknown> | undefined {
  if (!fs.existsSync(root)) return undefined;
  if (!hash) return undefined;
  const hits = fs.readdirSync(root).flatMap((kind) => listEntries<unknown, unknown>(kind, root, (h) => h.startsWith(hash)));
  if (hits.length > 1) throw new Error(`hash prefix '${hash}' matches ${hits.length} entries (${hits.map((h) => `${h.kind}/${h.hash}`).join(', ')}); give more digits`);
  return hits[0];
}
