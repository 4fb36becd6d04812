// The pipeline behind a width figure: the goal's sweep (stored, resumable), tuning per λ, optional decision
// regions, tidy rows written to results/<profile>/<figure>.csv — what a notebook calls in one line.
import type { Profile } from '../experiment/profiles';
import { sweep, tune, type TunedPoint } from '../experiment/sweep';
import { tunedRows, sweepRows, row, type ResultRow } from '../results/rows';
import * as path from 'path';
import { figurePaths, writeFigureResults } from '../results/write';
import { ensureWritable } from '../store/writable';
import { figures, type FigureId } from './catalog';
import type { MethodName } from '../unlearn/registry';
import type { ProgressSink } from '../notebook/progress';
import { pick } from '../util/errors';
import { findEntry } from '../store/store';
import { originalConfig } from '../experiment/configs';
import { modelRegions, pairScores, type PlaneConfig } from '../experiment/regions';
import { defaultWorkers } from '../experiment/workers';

/** What a notebook's config cell sets. */
export interface FigureRunConfig {
  profile: Profile;
  /** Restrict widths / seeds / methods (default: the profile's, all methods). */
  widths?: number[];
  seeds?: number[];
  methods?: MethodName[];
  /** Decision-region scores: neighbourhood radius as a fraction of the forget image's distance to the nearer retain image. */
  radiusFraction?: number;
  progress?: ProgressSink;
  /** Parallel worker processes for the sweep's cells (default: defaultWorkers(), one per core on wasm). */
  workers?: number;
}

/** The result of a figure run. */
export interface FigureRun { rows: ResultRow[]; tuned: TunedPoint[]; files: { csv: string; json: string; sweepCsv: string } }

/**
 * Runs (or reuses) everything a width figure needs and writes its rows.
 * @example
 * const { rows } = await runFigure('fig1-privacy', { profile: getProfile() });
 */
export async function runFigure(id: FigureId, c: FigureRunConfig): Promise<FigureRun> {
  const spec = pick(figures, id, 'figure');
  ensureWritable(path.dirname(figurePaths(c.profile.name, id).csv), 'the figure tables are written under results/<profile>/');
  const points = await sweep({ profile: c.profile, goal: spec.goal, widths: c.widths, seeds: c.seeds, methods: c.methods, progress: c.progress, workers: c.workers ?? defaultWorkers() });
  const tuned = tune(points, c.profile.lambdas);
  let rows = tunedRows(tuned, c.profile);
  if ('regions' in spec && spec.regions) rows = await regionRows(tuned, c);
  c.progress?.done(`${id}: ${points.length} stored models, ${rows.length} result rows`);
  const config = { profile: c.profile, widths: c.widths, seeds: c.seeds, methods: c.methods };
  const files = writeFigureResults(c.profile.name, id, rows, { figure: id, spec, ...config, radiusFraction: c.radiusFraction ?? 0.5 });
  // Every grid point of the sweep, tuned or not (the same file for every figure of the goal).
  const all = writeFigureResults(c.profile.name, `sweep-${spec.goal}`, sweepRows(points, c.profile), { sweep: spec.goal, ...config });
  return { rows, tuned, files: { ...files, sweepCsv: all.csv } };
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
    const orig = tuned.find((o) => o.method === 'original' && o.k === t.k && o.seed === t.seed);
    const oe = orig && findEntry(orig.hash);
    const me = findEntry(t.hash);
    if (!oe || !me) continue;
    const cfg = await originalConfig(c.profile, { goal: t.goal, k: t.k, seed: t.seed });
    const ro = await modelRegions(oe, cfg.data, t.seed, planes, c.progress);
    const rm = await modelRegions(me, cfg.data, t.seed, planes, c.progress);
    const s = pairScores(ro.result, rm.result, { radiusFraction: c.radiusFraction });
    const lambda = t.method === 'retrain' ? null : t.lambda;
    rows.push(row(c.profile, t, lambda, 'similarity', s.similarity.mean), row(c.profile, t, lambda, 'change', s.change.mean));
  }
  return rows;
}
