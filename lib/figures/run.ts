// The pipeline behind a width figure: the goal's sweep (stored, resumable, cancellable), tuning per λ, optional
// decision regions, tidy rows written to results/<profile>/<figure>.csv — or, for a config other than the
// profile's defaults, to results/<profile>/explore/<hash>/ — what a notebook calls in one line.
import type { Profile } from '../experiment/profiles';
import { sweep, tune, type TunedPoint } from '../experiment/sweep';
import { tunedRows, sweepRows, row, type ResultRow } from '../results/rows';
import { figurePaths, writeFigureResults } from '../results/write';
import { resultLocation, type ResultLocation } from '../results/location';
import { ensureWritable } from '../store/writable';
import { figures, type FigureId, type RegionExampleSpec, type WidthFigureSpec } from './catalog';
import { methods, methodNames, type MethodName } from '../unlearn/registry';
import type { ProgressSink } from '../notebook/progress';
import { pick, UsageError } from '../util/errors';
import { cancellable, throwIfCancelled } from '../util/cancel';
import { findEntry } from '../store/store';
import { originalConfig } from '../experiment/configs';
import { modelRegions, pairScores, type PlaneConfig } from '../experiment/regions';
import { defaultWorkers } from '../experiment/workers';

/** What a notebook's config cell sets (`const config = { profile, methods: ['scrub'] } satisfies FigureRunConfig`). */
export interface FigureRunConfig {
  profile: Profile;
  /** Restrict widths / seeds / methods (default: the profile's, all methods); any restriction writes under explore/. */
  widths?: number[];
  seeds?: number[];
  methods?: MethodName[];
  /** Decision-region scores (fig5): neighbourhood radius as a fraction of the forget image's distance to the nearer retain image (default 0.5). */
  radiusFraction?: number;
  progress?: ProgressSink;
  /** Parallel worker processes for the sweep's cells (default: defaultWorkers(), one per core on wasm). */
  workers?: number;
}

/** Default neighbourhood radius of the decision-region scores (fraction of the distance to the nearer retain image). */
export const DEFAULT_RADIUS_FRACTION = 0.5;

/** The settings a figure run uses: the config's, else the profile's (all methods). */
export interface ResolvedFigureConfig { widths: number[]; seeds: number[]; methods: MethodName[]; lambdas: number[]; radiusFraction?: number }

/**
 * What a run of `c` computes, with every default filled in; throws a UsageError naming the valid values
 * (for callers that bypass the type check, e.g. plain JavaScript).
 * @example
 * resolveFigureConfig('fig1-privacy', { profile: getProfile('smoke'), methods: ['scrub'] }).widths; // [2, 8]
 */
export function resolveFigureConfig(id: FigureId, c: FigureRunConfig): ResolvedFigureConfig {
  const spec0: WidthFigureSpec | RegionExampleSpec = pick(figures, id, 'figure');
  if (spec0.kind !== 'width') throw new UsageError(`'${id}' is not a width figure; runFigure draws: ${Object.entries(figures).filter(([, f]) => f.kind === 'width').map(([n]) => n).join(', ')}`);
  for (const m of c.methods ?? []) pick(methods, m, 'unlearning method');
  const ints = (name: string, v: number[] | undefined, min: number) => {
    if (v !== undefined && (!Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isInteger(x) || x < min))) {
      throw new UsageError(`${name} must be a non-empty list of integers ≥ ${min} (or left out for the profile's), got ${JSON.stringify(v)}`);
    }
  };
  ints('widths', c.widths, 1);
  ints('seeds', c.seeds, 0);
  if (c.radiusFraction !== undefined && !(c.radiusFraction > 0)) throw new UsageError(`radiusFraction must be > 0, got ${c.radiusFraction}`);
  const out: ResolvedFigureConfig = { widths: c.widths ?? c.profile.widths, seeds: c.seeds ?? c.profile.seeds, methods: c.methods ?? methodNames, lambdas: c.profile.lambdas };
  const spec: WidthFigureSpec = figures[id];
  if (spec.regions) out.radiusFraction = c.radiusFraction ?? DEFAULT_RADIUS_FRACTION;
  return out;
}

/**
 * Where a run of `c` writes: results/<profile>/ for the profile's defaults, results/<profile>/explore/<hash>/ otherwise.
 * @example
 * figureLocation('fig1-privacy', { profile, widths: [2] }).canonical; // false
 */
export function figureLocation(id: FigureId, c: FigureRunConfig): ResultLocation {
  const r = resolveFigureConfig(id, c);
  const defaults: Record<string, unknown> = { widths: c.profile.widths, seeds: c.profile.seeds, methods: methodNames, radiusFraction: DEFAULT_RADIUS_FRACTION };
  return resultLocation(c.profile.name, { widths: r.widths, seeds: r.seeds, methods: r.methods, radiusFraction: r.radiusFraction }, defaults);
}

/** The result of a figure run: rows, tuned points and the files written (`dir`: canonical or an exploration's). */
export interface FigureRun { rows: ResultRow[]; tuned: TunedPoint[]; location: ResultLocation; files: { dir: string; csv: string; json: string; sweepCsv: string; png: string } }

/**
 * Runs (or reuses) everything a width figure needs and writes its rows. A config that differs from the
 * profile's defaults writes under results/<profile>/explore/<hash>/ (see `run.location`), never over the
 * canonical tables. Cancellable: Kernel > Interrupt stops it at the next training step (lib/util/cancel.ts).
 * @example
 * const { rows } = await runFigure('fig1-privacy', { profile: getProfile() });
 */
export function runFigure(id: FigureId, c: FigureRunConfig): Promise<FigureRun> {
  return cancellable(() => runFigureNow(id, c));
}

async function runFigureNow(id: FigureId, c: FigureRunConfig): Promise<FigureRun> {
  const spec = pick(figures, id, 'figure');
  const r = resolveFigureConfig(id, c);
  const location = figureLocation(id, c);
  ensureWritable(location.dir, 'the figure tables are written under results/<profile>/');
  const points = await sweep({ profile: c.profile, goal: spec.goal, widths: r.widths, seeds: r.seeds, methods: r.methods, progress: c.progress, workers: c.workers ?? defaultWorkers() });
  const tuned = tune(points, c.profile.lambdas);
  let rows = tunedRows(tuned, c.profile);
  if ('regions' in spec && spec.regions) rows = await regionRows(tuned, c);
  throwIfCancelled();
  const where = location.canonical ? '' : ` (exploration, not the canonical tables: ${Object.keys(location.overrides).join(', ')} differ from the profile's)`;
  c.progress?.done(`${id}: ${points.length} stored models, ${rows.length} result rows${where}`);
  const config = { profile: c.profile, widths: c.widths, seeds: c.seeds, methods: c.methods, explore: location.canonical ? undefined : location.overrides };
  const files = writeFigureResults(c.profile.name, id, rows, { figure: id, spec, ...config, radiusFraction: r.radiusFraction }, location.dir);
  // Every grid point of the sweep, tuned or not (the same file for every figure of the goal).
  const all = writeFigureResults(c.profile.name, `sweep-${spec.goal}`, sweepRows(points, c.profile), { sweep: spec.goal, ...config }, location.dir);
  return { rows, tuned, location, files: { ...files, dir: location.dir, sweepCsv: all.csv, png: figurePaths(c.profile.name, id, location.dir).png } };
}

/** The plane settings of a profile. */
export function planeConfig(profile: Profile): PlaneConfig {
  return { planes: profile.planes, resolution: profile.resolution, margin: 0.1 };
}

/** Similarity/change of every tuned model (and the retrained one) against its original, per plane set. */
async function regionRows(tuned: readonly TunedPoint[], c: FigureRunConfig): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const planes = planeConfig(c.profile);
  const done = new Set<string>();
  for (const t of tuned) {
    if (t.method === 'original') continue;
    const key = `${t.k}|${t.seed}|${t.method}|${t.method === 'retrain' ? '' : t.lambda}`;
    if (done.has(key)) continue;
    done.add(key);
    throwIfCancelled();
    const orig = tuned.find((o) => o.method === 'original' && o.k === t.k && o.seed === t.seed);
    const oe = orig && findEntry(orig.hash);
    const me = findEntry(t.hash);
    if (!oe || !me) continue;
    const cfg = await originalConfig(c.profile, { goal: t.goal, k: t.k, seed: t.seed });
    const ro = await modelRegions(oe, cfg.data, t.seed, planes, c.progress);
    const rm = await modelRegions(me, cfg.data, t.seed, planes, c.progress);
    const s = pairScores(ro.result, rm.result, { radiusFraction: c.radiusFraction ?? DEFAULT_RADIUS_FRACTION });
    const lambda = t.method === 'retrain' ? null : t.lambda;
    rows.push(row(c.profile, t, lambda, 'similarity', s.similarity.mean), row(c.profile, t, lambda, 'change', s.change.mean));
  }
  return rows;
}
