// A tuning sweep: for each (width, seed) of a profile and goal, the original, the retrained oracle and
// every method over its grid; every grid point is stored (resumable, shared between notebooks and the
// CLI), a diverging run is recorded as failed and the sweep goes on; then one selection per λ.
import type { Profile } from './profiles';
import { originalConfig } from './configs';
import { trainOriginal, type RunOptions } from './original';
import { runUnlearn, unlearnConfig } from './unlearn';
import type { ModelEvaluation } from './evaluate';
import { methodOf, methodNames, type MethodName } from '../unlearn/registry';
import { expandGrid } from '../unlearn/grid';
import { selectBest } from '../unlearn/tuning';
import type { UnlearningGoal } from '../data/splits';
import type { ProgressSink, ProgressState } from '../notebook/progress';
import { DivergenceError } from '../util/errors';
import { runCellsInWorkers } from './workers';
import { readEntry } from '../store/store';

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
  evaluation: ModelEvaluation | null;
  /** Why the run failed (e.g. divergence), else undefined. */
  failed?: string;
  seconds: number;
}

/** The grid of a method at a profile (retrain and untuned methods: one point). */
export function methodGrid(method: MethodName, profile: Profile): Record<string, number>[] {
  const m = methodOf(method);
  if (!m.tuned) return [{}];
  const grids = m.grids as unknown as Record<string, Record<string, number[]>>;
  return expandGrid(m.defaults as Record<string, number>, grids[profile.name] ?? grids.cpu);
}

/** Number of trainings a sweep runs when nothing is stored yet. */
export function sweepSize(o: SweepOptions): number {
  const cells = (o.widths ?? o.profile.widths).length * (o.seeds ?? o.profile.seeds).length;
  return cells * (1 + (o.methods ?? methodNames).reduce((n, m) => n + methodGrid(m, o.profile).length, 0));
}

function childSink(parent: ProgressSink | undefined, prefix: () => string): ProgressSink | undefined {
  if (!parent) return undefined;
  return { update: (s: ProgressState) => parent.update({ ...s, label: `${prefix()} ${s.label ?? ''}` }), done: () => {} };
}

/** Whether every model of one (width, seed) cell is already in the store. */
async function cellStored(o: SweepOptions, cell: { k: number; seed: number }): Promise<boolean> {
  const origCfg = await originalConfig(o.profile, { goal: o.goal, ...cell });
  if (!readEntry('original', origCfg)) return false;
  return (o.methods ?? methodNames).every((method) => methodGrid(method, o.profile).every((hp) => readEntry('unlearn', unlearnConfig(origCfg, method, hp)) !== undefined));
}

/**
 * Runs (or reuses) every model of the sweep and returns one point per stored model (the caller closes `progress`).
 * @example
 * const points = await sweep({ profile: getProfile('smoke'), goal: 'privacy' });
 */
export async function sweep(o: SweepOptions): Promise<SweepPoint[]> {
  const widths = o.widths ?? o.profile.widths, seeds = o.seeds ?? o.profile.seeds;
  if ((o.workers ?? 1) > 1 && widths.length * seeds.length > 1) {
    // Only cells with a model still to compute go to worker processes (each costs a few seconds to start).
    const cells = [];
    for (const k of widths) for (const seed of seeds) if (!(await cellStored(o, { k, seed }))) cells.push({ k, seed });
    if (cells.length) await runCellsInWorkers({ profile: o.profile, goal: o.goal, cells, methods: o.methods, workers: o.workers as number, progress: o.progress });
  }
  const points: SweepPoint[] = [];
  const total = sweepSize(o);
  let index = 0;
  const run: RunOptions = { progress: childSink(o.progress, () => `[${index}/${total}]`) };
  for (const k of widths) {
    for (const seed of seeds) {
      const cell = { goal: o.goal, k, seed };
      const origCfg = await originalConfig(o.profile, cell);
      index++;
      const orig = await trainOriginal(origCfg, run);
      points.push({ ...cell, method: 'original', hp: {}, hash: orig.hash, evaluation: orig.result.evaluation, seconds: orig.meta.seconds });
      for (const method of o.methods ?? methodNames) {
        for (const hp of methodGrid(method, o.profile)) {
          index++;
          const cfg = unlearnConfig(origCfg, method, hp);
          try {
            const e = await runUnlearn(cfg, run);
            points.push({ ...cell, method, hp: cfg.hp, hash: e.hash, evaluation: e.result.evaluation, seconds: e.result.seconds });
          } catch (err) {
            if (!(err instanceof DivergenceError)) throw err;
            points.push({ ...cell, method, hp: cfg.hp, hash: '', evaluation: null, failed: err.message, seconds: 0 });
          }
        }
      }
    }
  }
  return points;
}

/** The grid point chosen for one (cell, method, λ). */
export interface TunedPoint extends SweepPoint { lambda: number; J: number }

/**
 * Selects, per (width, seed, method) and λ, the grid point minimising the validation objective.
 * Untuned methods (retrain) and the original are returned once per λ as they are.
 * @example
 * const tuned = tune(points, [0.2, 0.4, 0.6]);
 */
export function tune(points: readonly SweepPoint[], lambdas: readonly number[]): TunedPoint[] {
  const groups = new Map<string, SweepPoint[]>();
  for (const p of points) {
    const key = `${p.goal}|${p.k}|${p.seed}|${p.method}`;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const out: TunedPoint[] = [];
  for (const list of groups.values()) {
    const ok = list.filter((p) => p.evaluation);
    if (ok.length === 0) continue;
    for (const lambda of lambdas) {
      const errs = ok.map((p) => (p.evaluation as ModelEvaluation).errors);
      const sel = selectBest(list[0].goal, lambda, errs);
      out.push({ ...ok[sel.index], lambda, J: sel.J });
    }
  }
  return out;
}
