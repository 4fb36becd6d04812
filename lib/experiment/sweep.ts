// A tuning sweep: for each (width, seed) of a profile and goal, the original, the retrained oracle and
// every method over its grid; every grid point is stored (resumable, shared between notebooks, the CLI,
// concurrent processes and the shards of a cluster job array), a diverging run is recorded as failed and the
// sweep goes on. Each point carries its store entry and its stored per-example features; scoring and tuning
// happen afterwards, from those features (lib/experiment/analysis.ts).
import type { Profile } from './profiles';
import { originalConfig } from './configs';
import { trainOriginal, type RunOptions, type OriginalConfig } from './original';
import { runUnlearn, unlearnConfig } from './unlearn';
import { dataKey } from './data';
import { modelFeatures } from './features';
import type { ModelFeatures } from '../metrics/features';
import { methodOf, methodNames, type MethodName } from '../unlearn/registry';
import { expandGrid } from '../unlearn/grid';
import { methodGridOf, type GridOverrides, type TunedMethodName } from '../unlearn/grids';
import type { UnlearningGoal } from '../data/splits';
import type { ProgressSink, ProgressState } from '../util/progress';
import { DivergenceError } from '../util/errors';
import { runCellsInWorkers } from './workers';
import { readEntry, BusyError, type StoreEntry } from '../store/store';
import { shardUnits, type Shard } from './shard';
import { cancellable, throwIfCancelled } from '../util/cancel';

/** What to sweep (defaults: the profile's widths and seeds, every method). */
export interface SweepOptions {
  profile: Profile;
  goal: UnlearningGoal;
  widths?: number[];
  seeds?: number[];
  methods?: MethodName[];
  progress?: ProgressSink;
  /** Parallel worker processes for the cells (default 1 = in this process; see defaultWorkers()). */
  workers?: number;
  /** Run only this shard of the sweep's models (a task of a job array; lib/experiment/shard.ts). */
  shard?: Shard;
  /** Per-method overrides of the profile's grid table (lib/unlearn/grids.ts). */
  grids?: GridOverrides;
}

/** One stored model of the sweep: the original, the retrained oracle or one grid point of a method. */
export interface SweepPoint {
  goal: UnlearningGoal;
  k: number;
  seed: number;
  /** 'original', 'retrain' or a method name. */
  method: string;
  hp: Record<string, number>;
  hash: string;
  /** The stored model (absent for a failed run). */
  entry?: StoreEntry<unknown, unknown>;
  /** Its stored per-example features (null for a failed run). */
  features: ModelFeatures | null;
  /** Why the run failed (e.g. divergence), else undefined. */
  failed?: string;
  seconds: number;
  /** Whether this process computed it (false: reused from the store). */
  computed?: boolean;
}

/**
 * The grid points of a method at a profile, from the grid table with `overrides` applied (retrain: one point).
 * @example
 * methodGrid('scrub', getProfile('cpu')).length; // 4
 */
export function methodGrid(method: MethodName, profile: Profile, overrides: GridOverrides = {}): Record<string, number>[] {
  const m = methodOf(method);
  if (!m.tuned) return [{}];
  return expandGrid(m.defaults as Record<string, number>, methodGridOf(profile.name, method as TunedMethodName, overrides));
}

/** Number of trainings a sweep runs when nothing is stored yet. */
export function sweepSize(o: SweepOptions): number {
  const cells = (o.widths ?? o.profile.widths).length * (o.seeds ?? o.profile.seeds).length;
  return cells * (1 + (o.methods ?? methodNames).reduce((n, m) => n + methodGrid(m, o.profile, o.grids).length, 0));
}

function childSink(parent: ProgressSink | undefined, prefix: () => string): ProgressSink | undefined {
  if (!parent) return undefined;
  return { update: (s: ProgressState) => parent.update({ ...s, label: `${prefix()} ${s.label ?? ''}` }), done: () => {} };
}

/** Whether every model of one (width, seed) cell is already in the store. */
async function cellStored(o: SweepOptions, cell: { k: number; seed: number }): Promise<boolean> {
  const origCfg = await originalConfig(o.profile, { goal: o.goal, ...cell });
  const so = { context: await dataKey(origCfg.data) };
  if (!readEntry('original', origCfg, so)) return false;
  return (o.methods ?? methodNames).every((method) =>
    methodGrid(method, o.profile, o.grids).every((hp) => readEntry('unlearn', unlearnConfig(origCfg, method, hp), so) !== undefined),
  );
}

/** One model of a sweep: the original of a cell, or one grid point of a method on it. */
export interface SweepUnit {
  k: number;
  seed: number;
  method: string;
  hp: Record<string, number>;
}

/**
 * Every model of the sweep in its fixed order: per width and seed, the original, then each method's grid.
 * @example
 * sweepUnits({ profile: getProfile('smoke'), goal: 'privacy' }).length; // = sweepSize(...)
 */
export function sweepUnits(o: SweepOptions): SweepUnit[] {
  const units: SweepUnit[] = [];
  for (const k of o.widths ?? o.profile.widths) {
    for (const seed of o.seeds ?? o.profile.seeds) {
      units.push({ k, seed, method: 'original', hp: {} });
      for (const method of o.methods ?? methodNames)
        for (const hp of methodGrid(method, o.profile, o.grids)) units.push({ k, seed, method, hp });
    }
  }
  return units;
}

/** Runs (or reuses) one unit; a divergence becomes a failed point, a busy entry (onBusy 'skip') a BusyError. */
async function runUnit(o: SweepOptions, u: SweepUnit, origCfg: OriginalConfig, run: RunOptions): Promise<SweepPoint> {
  const cell = { goal: o.goal, k: u.k, seed: u.seed };
  if (u.method === 'original') {
    const orig = await trainOriginal(origCfg, run);
    const features = await modelFeatures(orig, origCfg.data, u.seed);
    return {
      ...cell,
      method: 'original',
      hp: {},
      hash: orig.hash,
      entry: orig,
      features,
      seconds: orig.meta.seconds,
      computed: orig.computed,
    };
  }
  const cfg = unlearnConfig(origCfg, u.method, u.hp);
  try {
    const e = await runUnlearn(cfg, run);
    const features = await modelFeatures(e, origCfg.data, u.seed);
    return { ...cell, method: u.method, hp: cfg.hp, hash: e.hash, entry: e, features, seconds: e.result.seconds, computed: e.computed };
  } catch (err) {
    if (!(err instanceof DivergenceError)) throw err;
    return { ...cell, method: u.method, hp: cfg.hp, hash: '', features: null, failed: err.message, seconds: 0, computed: true };
  }
}

/**
 * Runs (or reuses) every model of the sweep (or of its shard) and returns one point per model, in the sweep's
 * order (the caller closes `progress`). Models another process is computing are skipped at first and
 * waited for at the end, so concurrent sweeps on one store share the work and compute each model once.
 * Cancellable (lib/util/cancel.ts): an interrupt stops it at the next training step, terminating its workers.
 * @example
 * const points = await sweep({ profile: getProfile('smoke'), goal: 'privacy' });
 */
export function sweep(o: SweepOptions): Promise<SweepPoint[]> {
  return cancellable(() => runSweep(o));
}

async function runSweep(o: SweepOptions): Promise<SweepPoint[]> {
  const widths = o.widths ?? o.profile.widths,
    seeds = o.seeds ?? o.profile.seeds;
  if (!o.shard && (o.workers ?? 1) > 1 && widths.length * seeds.length > 1) {
    // Only cells with a model still to compute go to worker processes (each costs a few seconds to start).
    const cells = [];
    for (const k of widths) for (const seed of seeds) if (!(await cellStored(o, { k, seed }))) cells.push({ k, seed });
    throwIfCancelled();
    if (cells.length)
      await runCellsInWorkers({
        profile: o.profile,
        goal: o.goal,
        cells,
        methods: o.methods,
        grids: o.grids,
        workers: o.workers as number,
        progress: o.progress,
      });
  }
  const all = sweepUnits(o);
  const units = o.shard ? shardUnits(all, o.shard) : all;
  const configs = new Map<string, OriginalConfig>();
  const origOf = async (u: SweepUnit) => {
    const key = `${u.k}|${u.seed}`;
    if (!configs.has(key)) configs.set(key, await originalConfig(o.profile, { goal: o.goal, k: u.k, seed: u.seed }));
    return configs.get(key) as OriginalConfig;
  };
  const points = new Map<SweepUnit, SweepPoint>();
  let index = 0;
  const run = (onBusy: 'skip' | 'wait'): RunOptions => ({ onBusy, progress: childSink(o.progress, () => `[${index}/${units.length}]`) });
  const later: SweepUnit[] = [];
  for (const u of units) {
    throwIfCancelled();
    const origCfg = await origOf(u);
    // An original another process (or shard) has not finished yet: come back to its models at the end.
    if (u.method !== 'original' && !readEntry('original', origCfg, { context: await dataKey(origCfg.data) })) {
      later.push(u);
      continue;
    }
    index++;
    try {
      points.set(u, await runUnit(o, u, origCfg, run('skip')));
    } catch (err) {
      if (!(err instanceof BusyError)) throw err;
      index--;
      later.push(u);
    }
  }
  for (const u of later) {
    throwIfCancelled();
    index++;
    points.set(u, await runUnit(o, u, await origOf(u), run('wait')));
  }
  return units.map((u) => points.get(u) as SweepPoint);
}
