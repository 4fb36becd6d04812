// The model/result store: every computed thing is keyed by the hash of its full config plus everything else
// that changes its numbers (compute backend and thread count, caller facts such as the data's fingerprint),
// stored with both and with checksums, written atomically, locked while computed so concurrent processes
// compute it once; a re-run reuses it, a corrupt entry is moved aside and recomputed, and a run interrupted
// mid-way resumes from its partial checkpoint.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { configHash, canonicalJson } from '../util/hash';
import { isTemporary, readJsonIfExists, removeStaleTemporaries, writeDirAtomic, writeFileAtomic, writeJsonAtomic } from '../util/atomic';
import { DataError, UsageError } from '../util/errors';
import { readModel, writeModel, loadModel } from '../models/checkpoint';
import type { Model } from '../models/types';
import { disposeModel } from '../models/model';
import { backendInfo, computeIdentity, type ComputeIdentity } from '../backend/select';
import { storeRoot } from '../util/paths';
import { quarantine, verifyEntry, writeChecksums } from './integrity';
import { readLock, tryLock, type LockOwner } from './lock';
import { ensureWritable, writeError } from './writable';

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

export interface StoreMeta {
  createdAt: string;
  seconds: number;
  backend: string;
  versions: Record<string, string>;
  host: string;
  hostname?: string;
  pid?: number;
  compute?: ComputeIdentity;
}

/** What keys an entry besides its config: the compute identity and the caller's facts. Stored in key.json. */
export interface StoreKeyContext {
  compute: ComputeIdentity;
  [fact: string]: unknown;
}

/** How to look up or compute an entry. */
export interface StoreOptions {
  /** Store folder (default UNLEARN_STORE or <data root>/store). */
  root?: string;
  /** Facts besides the config that change the result (e.g. `{ data: fingerprint }`); part of the key. */
  context?: Record<string, unknown>;
  /** When another process is computing the entry: wait for it (default) or throw a BusyError. */
  onBusy?: 'wait' | 'skip';
  /** Called once when this call starts waiting for another process. */
  onWait?: (owner: LockOwner | undefined, lockFile: string) => void;
  /** Milliseconds between checks while waiting (default 1000). */
  pollMs?: number;
}

/** What a computation gets: where to keep its resumable partial state. */
export interface ComputeContext {
  hash: string;
  checkpoint: string;
}

/** What a computation returns: a JSON result and optionally a model to store beside it (then disposed). */
export interface Computed<R> {
  result: R;
  model?: Model;
}

/** Another process holds the entry's lock (with onBusy: 'skip'). */
export class BusyError extends Error {
  override name = 'BusyError';
  constructor(
    readonly kind: string,
    readonly hash: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(`${kind}/${hash} is being computed by ${owner ? `pid ${owner.pid} on ${owner.host}` : 'another process'}`);
  }
}

const HINT = 'set UNLEARN_STORE to a writable folder with free space';
const ENTRY_NAME = /^[0-9a-f]{16}$/;
const RESULT_FORMAT = 'store-result/1';
interface ResultFile<R> {
  format: string;
  sha256: string;
  result: R;
}

const rootOf = (o: StoreOptions) => o.root ?? storeRoot();

/** The full key of (config, options): the config and the context (compute identity + caller facts). */
export function storeKey(config: unknown, o: StoreOptions = {}): { config: unknown; context: StoreKeyContext } {
  return { config, context: { ...o.context, compute: computeIdentity() } };
}

/** Directory of the entry for (kind, config) under the current compute identity. */
export function entryDir(kind: string, config: unknown, o: StoreOptions = {}): string {
  return path.join(rootOf(o), kind, configHash(storeKey(config, o)));
}

function readResult<R>(file: string): R {
  let f: ResultFile<R>;
  try {
    f = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultFile<R>;
  } catch (e) {
    throw new DataError(file, `is not valid JSON (${(e as Error).message})`);
  }
  if (f?.format !== RESULT_FORMAT) throw new DataError(file, `is not a '${RESULT_FORMAT}' file`);
  if (configHash(f.result) !== f.sha256) throw new DataError(file, 'does not match its checksum (the file was changed or damaged)');
  return f.result;
}

const resultFile = <R>(result: R): ResultFile<R> => ({ format: RESULT_FORMAT, sha256: configHash(result), result });

/** A JSON file of a verified entry (its presence was checked by verifyEntry; bad JSON is a DataError naming it). */
const readJson = <T>(file: string): T => readJsonIfExists<T>(file) as T;

/** Reads and verifies the entry folder `dir`; a corrupt one is quarantined (undefined). */
function loadDir<C, R>(root: string, kind: string, dir: string): StoreEntry<C, R> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  try {
    verifyEntry(dir);
    const config = readJson<C>(path.join(dir, 'config.json'));
    const key = readJson<{ context: StoreKeyContext }>(path.join(dir, 'key.json'));
    if (configHash({ config, context: key.context }) !== path.basename(dir)) {
      throw new DataError(dir, 'config.json and key.json do not hash to the folder name');
    }
    const result = readResult<R>(path.join(dir, 'result.json'));
    const meta = readJson<StoreMeta>(path.join(dir, 'meta.json'));
    const modelFile = path.join(dir, 'model.ckpt');
    return {
      kind,
      hash: path.basename(dir),
      dir,
      config,
      result,
      modelFile: fs.existsSync(modelFile) ? modelFile : undefined,
      computed: false,
      meta,
    };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    quarantine(root, kind, dir, e.message);
    return undefined;
  }
}

/** Reads a finished, verified entry, or undefined (a corrupt one is moved aside with a warning). */
export function readEntry<C, R>(kind: string, config: C, o: StoreOptions = {}): StoreEntry<C, R> | undefined {
  const dir = entryDir(kind, config, o);
  const e = loadDir<C, R>(rootOf(o), kind, dir);
  if (e && canonicalJson(e.config) !== canonicalJson(config)) {
    throw new DataError(dir, 'stored config differs from the requested one (hash collision)');
  }
  return e;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Returns the stored entry for (kind, config), computing and storing it first if missing. While computing,
 * the entry is locked: a concurrent call (any process sharing the store) waits for it, or with
 * `onBusy: 'skip'` throws a BusyError, so each entry is computed once.
 * @example
 * const e = await cached('original', cfg, async (ctx) => ({ result: { acc }, model }), { context: { data: fp } });
 */
export async function cached<C, R>(
  kind: string,
  config: C,
  compute: (ctx: ComputeContext) => Promise<Computed<R>>,
  o: StoreOptions = {},
): Promise<StoreEntry<C, R>> {
  const existing = readEntry<C, R>(kind, config, o);
  if (existing) return existing;
  const root = rootOf(o);
  const kindDir = path.join(root, kind);
  ensureWritable(kindDir, HINT);
  removeStaleTemporaries(kindDir);
  const key = storeKey(config, o);
  const hash = configHash(key);
  const dir = path.join(kindDir, hash);
  const lockFile = `${dir}.lock`;
  let lock = tryLock(lockFile, `${kind}/${hash}`);
  let told = false;
  while (!lock) {
    if (o.onBusy === 'skip') throw new BusyError(kind, hash, readLock(lockFile));
    if (!told) {
      o.onWait?.(readLock(lockFile), lockFile);
      told = true;
    }
    await sleep(o.pollMs ?? 1000);
    const done = readEntry<C, R>(kind, config, o);
    if (done) return done;
    lock = tryLock(lockFile, `${kind}/${hash}`);
  }
  try {
    const done = readEntry<C, R>(kind, config, o); // finished by another process just before we locked
    if (done) return done;
    const checkpoint = path.join(kindDir, `${hash}.partial.ckpt`);
    const t0 = Date.now();
    const out = await compute({ hash, checkpoint });
    const info = backendInfo();
    const meta: StoreMeta = {
      createdAt: new Date().toISOString(),
      seconds: (Date.now() - t0) / 1000,
      backend: info?.choice ?? 'unknown',
      compute: key.context.compute,
      versions: info?.versions ?? {},
      host: `${process.platform}-${process.arch}`,
      hostname: os.hostname(),
      pid: process.pid,
    };
    try {
      const host = out.model ? await readModel(out.model) : undefined; // async: sync reads throw on webgpu
      writeDirAtomic(dir, (tmp) => {
        writeJsonAtomic(path.join(tmp, 'config.json'), config);
        writeJsonAtomic(path.join(tmp, 'key.json'), { context: key.context });
        writeJsonAtomic(path.join(tmp, 'meta.json'), meta);
        if (host) writeModel(host, path.join(tmp, 'model.ckpt'), { kind: 'model', storeKind: kind, hash });
        writeJsonAtomic(path.join(tmp, 'result.json'), resultFile(out.result));
        writeChecksums(tmp, ['config.json', 'key.json', 'meta.json'], writeJsonAtomic);
      });
    } catch (e) {
      throw writeError(dir, e, HINT);
    } finally {
      if (out.model) disposeModel(out.model);
    }
    fs.rmSync(checkpoint, { force: true });
    const entry = readEntry<C, R>(kind, config, o);
    if (!entry) throw new DataError(dir, 'entry vanished after writing');
    return { ...entry, computed: true };
  } finally {
    lock.release();
  }
}

/**
 * Replaces an entry's result (e.g. an evaluation recomputed under a newer definition), atomically.
 * @example
 * const fresh = replaceResult(entry, { ...entry.result, evaluation });
 */
export function replaceResult<C, R>(entry: StoreEntry<C, R>, result: R): StoreEntry<C, R> {
  try {
    writeFileAtomic(path.join(entry.dir, 'result.json'), JSON.stringify(resultFile(result), null, 2) + '\n');
  } catch (e) {
    throw writeError(entry.dir, e, HINT);
  }
  return { ...entry, result };
}

/** Loads the model stored with an entry (its checksum verified). */
export function loadEntryModel(entry: StoreEntry<unknown, unknown>): Model {
  if (!entry.modelFile) throw new Error(`${entry.dir}: this ${entry.kind} entry has no stored model`);
  return loadModel(entry.modelFile);
}

/** Lists the verified entries of a kind (config + result); `match` filters by hash first. Temporaries, locks and partial checkpoints never match. */
export function listEntries<C, R>(kind: string, root = storeRoot(), match: (hash: string) => boolean = () => true): StoreEntry<C, R>[] {
  const dir = path.join(root, kind);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  const out: StoreEntry<C, R>[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!ENTRY_NAME.test(name) || isTemporary(name) || !match(name)) continue;
    const e = loadDir<C, R>(root, kind, path.join(dir, name));
    if (e) out.push(e);
  }
  return out;
}

/** Finds a finished entry by hash (or a unique hash prefix) in any kind. */
export function findEntry(hash: string, root = storeRoot()): StoreEntry<unknown, unknown> | undefined {
  if (!fs.existsSync(root)) return undefined;
  if (!hash) return undefined;
  const kinds = fs.readdirSync(root).filter((k) => k !== 'corrupt' && fs.statSync(path.join(root, k)).isDirectory());
  const hits = kinds.flatMap((kind) => listEntries<unknown, unknown>(kind, root, (h) => h.startsWith(hash)));
  if (hits.length > 1)
    throw new UsageError(
      `hash prefix '${hash}' matches ${hits.length} entries (${hits.map((h) => `${h.kind}/${h.hash}`).join(', ')}); give more digits`,
    );
  return hits[0];
}
