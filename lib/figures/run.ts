// The pipeline behind a width figure: the goal's sweep (stored, resumable, cancellable; trains only grid points
// not yet stored), then the analysis from stored features — metrics, tuning objective, λ, MIA protocol, region
// scores, all config fields — tidy rows written to results/<profile>/<figure>.csv, or, for a config other than
// the profile's defaults, to results/<profile>/explore/<hash>/ — what a notebook calls in one line.
import type { Profile } from '../experiment/profiles';
import { sweep, type SweepPoint } from '../experiment/sweep';
import { metricParams, objectiveSource, scorePoints, tune, type AnalysisOptions, type TunedPoint } from '../experiment/analysis';
import { tunedRows, sweepRows, row, tableMetrics, type ResultRow } from '../results/rows';
import { figurePaths, writeFigureResults } from '../results/write';
import { resultLocation, type ResultLocation } from '../results/location';
import { ensureWritable } from '../store/writable';
import { figures, type FigureId, type RegionExampleSpec, type WidthFigureSpec } from './catalog';
import { methods, methodNames, type MethodName } from '../unlearn/registry';
import { gridTable, methodGridOf, type GridOverrides, type TunedMethodName } from '../unlearn/grids';
import { paperObjective } from '../unlearn/tuning';
import { defaultMiaProtocol } from '../metrics/mia-protocol';
import { checkMetricNames, type MetricName } from '../metrics/registry';
import type { Panel } from '../plot/width-figure';
import type { ProgressSink } from '../util/progress';
import { pick, UsageError } from '../util/errors';
import { cancellable, throwIfCancelled } from '../util/cancel';
import { originalConfig } from '../experiment/configs';
import { modelRegions, planeScores, type PlaneConfig, type RegionsResult } from '../experiment/regions';
import { CHANGE_CURVE_FRACTIONS } from '../metrics/region-scores';
import { defaultWorkers } from '../experiment/workers';

/** Decision-region analysis settings of fig5 (and the planes of fig4). */
export interface RegionAnalysis {
  /** Neighbourhood radius as a fraction of the forget image's distance to the nearer retain image [0.5; 0 = whole plane]. */
  radiusFraction?: number;
  /** 'disc' [default] or 'connected-region': the original's decision region containing the forget image (dbViz). */
  neighbourhood?: 'disc' | 'connected-region';
  /** Plane margin beyond the three anchors [0.1; dbViz's double-descent scripts use 0.5] (new grids are computed, nothing is trained). */
  planeMargin?: number;
  /** Planes through a forget and two retain images of three distinct labels [false]. */
  distinctLabels?: boolean;
}

/**
 * What a notebook's config cell sets (`const config = { profile, methods: ['scrub'] } satisfies FigureRunConfig`).
 * Analysis fields (objective, lambdas, mia, panels, region settings) re-score stored features; widths, seeds,
 * methods and grid points not yet stored are trained.
 */
export interface FigureRunConfig extends AnalysisOptions, RegionAnalysis {
  profile: Profile;
  /** Restrict widths / seeds / methods (default: the profile's, all methods); any change writes under explore/. */
  widths?: number[];
  seeds?: number[];
  methods?: MethodName[];
  /** Per-method overrides of the profile's grid table (lib/unlearn/grids.ts), e.g. `{ scrub: { lr: [0.01] } }`. */
  grids?: GridOverrides;
  /** Panels drawn (default: the catalog's); a panel's metric is a registry metric (lib/metrics/registry.ts) or a region score. */
  panels?: Panel[];
  progress?: ProgressSink;
  /** Parallel worker processes for the sweep's cells (default: defaultWorkers(), one per core on wasm). */
  workers?: number;
}

/** Defaults of the region analysis. */
export const DEFAULT_RADIUS_FRACTION = 0.5;
export const DEFAULT_PLANE_MARGIN = 0.1;

/** Metric names a region figure emits besides the registry's. */
export const regionMetricNames = ['similarity', 'change', 'agreement', ...CHANGE_CURVE_FRACTIONS.map((f) => `change@${f}`)];

/** The settings a figure run uses, every default filled in. */
export interface ResolvedFigureConfig {
  widths: number[];
  seeds: number[];
  methods: MethodName[];
  lambdas: number[];
  panels: Panel[];
  regions?: Required<RegionAnalysis>;
}

/**
 * What a run of `c` computes, with every default filled in; throws a UsageError naming the valid values
 * (for callers that bypass the type check, e.g. plain JavaScript).
 * @example
 * resolveFigureConfig('fig1-privacy', { profile: getProfile('smoke'), methods: ['scrub'] }).widths; // [2, 8]
 */
export function resolveFigureConfig(id: FigureId, c: FigureRunConfig): ResolvedFigureConfig {
  const spec0: WidthFigureSpec | RegionExampleSpec = pick(figures, id, 'figure');
  if (spec0.kind !== 'width')
    throw new UsageError(
      `'${id}' is not a width figure; runFigure draws: ${Object.entries(figures)
        .filter(([, f]) => f.kind === 'width')
        .map(([n]) => n)
        .join(', ')}`,
    );
  for (const m of c.methods ?? []) pick(methods, m, 'unlearning method');
  const ints = (name: string, v: number[] | undefined, min: number) => {
    if (v !== undefined && (!Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isInteger(x) || x < min))) {
      throw new UsageError(
        `${name} must be a non-empty list of integers ≥ ${min} (or left out for the profile's), got ${JSON.stringify(v)}`,
      );
    }
  };
  ints('widths', c.widths, 1);
  ints('seeds', c.seeds, 0);
  if (c.lambdas !== undefined && (!Array.isArray(c.lambdas) || c.lambdas.length === 0 || c.lambdas.some((l) => !(l >= 0 && l <= 1))))
    throw new UsageError(`lambdas must be a non-empty list of numbers in [0, 1], got ${JSON.stringify(c.lambdas)}`);
  if (c.objective !== undefined && typeof c.objective !== 'function')
    throw new UsageError('objective must be a function (metrics, λ, goal) => J (lower is better)');
  if (c.radiusFraction !== undefined && !(c.radiusFraction >= 0))
    throw new UsageError(`radiusFraction must be ≥ 0 (0: the whole plane), got ${c.radiusFraction}`);
  if (c.planeMargin !== undefined && !(c.planeMargin >= 0)) throw new UsageError(`planeMargin must be ≥ 0, got ${c.planeMargin}`);
  if (c.neighbourhood !== undefined && !['disc', 'connected-region'].includes(c.neighbourhood))
    throw new UsageError(`neighbourhood must be 'disc' or 'connected-region', got '${c.neighbourhood}'`);
  gridTable(c.profile.name);
  for (const m of Object.keys(c.grids ?? {})) methodGridOf(c.profile.name, m as TunedMethodName, c.grids);
  const spec: WidthFigureSpec = figures[id];
  const panels = c.panels ?? spec.panels;
  checkMetricNames(
    panels.map((p) => p.metric),
    spec.regions ? regionMetricNames : [],
  );
  const out: ResolvedFigureConfig = {
    widths: c.widths ?? c.profile.widths,
    seeds: c.seeds ?? c.profile.seeds,
    methods: c.methods ?? methodNames,
    lambdas: c.lambdas ?? c.profile.lambdas,
    panels,
  };
  if (spec.regions)
    out.regions = {
      radiusFraction: c.radiusFraction ?? DEFAULT_RADIUS_FRACTION,
      neighbourhood: c.neighbourhood ?? 'disc',
      planeMargin: c.planeMargin ?? DEFAULT_PLANE_MARGIN,
      distinctLabels: c.distinctLabels ?? false,
    };
  return out;
}

/** Every setting that decides a run's numbers, defaults filled in (what its results record and its location hashes). */
function settingsOf(id: FigureId, c: FigureRunConfig): Record<string, unknown> {
  const r = resolveFigureConfig(id, c);
  return {
    widths: r.widths,
    seeds: r.seeds,
    methods: r.methods,
    lambdas: r.lambdas,
    objective: objectiveSource(c.objective),
    mia: c.mia ?? defaultMiaProtocol,
    grids: c.grids && Object.keys(c.grids).length ? c.grids : undefined,
    panels: c.panels ? r.panels.map((p) => p.metric) : undefined,
    ...(r.regions ?? {}),
  };
}

/**
 * Where a run of `c` writes: results/<profile>/ for the profile's defaults, results/<profile>/explore/<hash>/ otherwise.
 * @example
 * figureLocation('fig1-privacy', { profile, widths: [2] }).canonical; // false
 */
export function figureLocation(id: FigureId, c: FigureRunConfig): ResultLocation {
  const defaults = settingsOf(id, { profile: c.profile });
  return resultLocation(c.profile.name, settingsOf(id, c), defaults);
}

/** The result of a figure run: rows, tuned points, the spec drawn (panels as configured) and the files written. */
export interface FigureRun {
  rows: ResultRow[];
  tuned: TunedPoint[];
  spec: WidthFigureSpec;
  location: ResultLocation;
  files: { dir: string; csv: string; json: string; sweepCsv: string; png: string };
  /** Seconds spent in the sweep (training or reading the store) and in the analysis (scores, tuning, region scores). */
  seconds: { sweep: number; analysis: number };
}

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
  const spec0 = pick(figures, id, 'figure');
  const r = resolveFigureConfig(id, c);
  const spec: WidthFigureSpec = { ...(spec0 as WidthFigureSpec), panels: r.panels };
  const location = figureLocation(id, c);
  ensureWritable(location.dir, 'the figure tables are written under results/<profile>/');
  const t0 = Date.now();
  const points = await sweep({
    profile: c.profile,
    goal: spec.goal,
    widths: r.widths,
    seeds: r.seeds,
    methods: r.methods,
    grids: c.grids,
    progress: c.progress,
    workers: c.workers ?? defaultWorkers(),
  });
  const t1 = Date.now();
  const scored = scorePoints(points, metricParams(c));
  const tuned = tune(scored, r.lambdas, c.objective ?? paperObjective);
  const shown = r.panels.map((p) => p.metric).filter((m) => !regionMetricNames.includes(m)) as MetricName[];
  const names = [...new Set([...tableMetrics, ...shown])];
  let rows = tunedRows(tuned, c.profile, names);
  if (r.regions) rows = rows.concat(await regionRows(tuned, c.profile, r.regions, c.progress));
  throwIfCancelled();
  const seconds = { sweep: (t1 - t0) / 1000, analysis: (Date.now() - t1) / 1000 };
  const where = location.canonical
    ? ''
    : ` (exploration, not the canonical tables: ${Object.keys(location.overrides).join(', ')} differ from the profile's)`;
  c.progress?.done(`${id}: ${points.length} stored models, ${rows.length} result rows, analysis ${seconds.analysis.toFixed(1)} s${where}`);
  const config = { profile: c.profile, ...settingsOf(id, c), explore: location.canonical ? undefined : location.overrides };
  const files = writeFigureResults(c.profile.name, id, rows, { figure: id, spec, ...config }, location.dir);
  // Every grid point of the sweep, tuned or not (the same file for every figure of the goal).
  const all = writeFigureResults(
    c.profile.name,
    `sweep-${spec.goal}`,
    sweepRows(scored, c.profile, names),
    { sweep: spec.goal, ...config },
    location.dir,
  );
  return {
    rows,
    tuned,
    spec,
    location,
    seconds,
    files: { ...files, dir: location.dir, sweepCsv: all.csv, png: figurePaths(c.profile.name, id, location.dir).png },
  };
}

/** The plane settings of a profile (margin and label rule from the region analysis). */
export function planeConfig(profile: Profile, a: RegionAnalysis = {}): PlaneConfig {
  const p: PlaneConfig = { planes: profile.planes, resolution: profile.resolution, margin: a.planeMargin ?? DEFAULT_PLANE_MARGIN };
  if (a.distinctLabels) p.distinctLabels = true;
  return p;
}

/** Region scores of every tuned model (and the retrained one) against its original, from their stored grids. */
async function regionRows(
  tuned: readonly TunedPoint[],
  profile: Profile,
  a: Required<RegionAnalysis>,
  progress?: ProgressSink,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const planes = planeConfig(profile, a);
  const grids = new Map<string, RegionsResult>();
  const gridsOf = async (p: SweepPoint) => {
    if (!grids.has(p.hash)) {
      const cfg = await originalConfig(profile, { goal: p.goal, k: p.k, seed: p.seed });
      grids.set(p.hash, (await modelRegions(p.entry!, cfg.data, p.seed, planes, progress)).result);
    }
    return grids.get(p.hash) as RegionsResult;
  };
  const done = new Set<string>();
  for (const t of tuned) {
    if (t.method === 'original' || !t.entry) continue;
    const key = `${t.k}|${t.seed}|${t.method}|${t.method === 'retrain' ? '' : t.lambda}`;
    if (done.has(key)) continue;
    done.add(key);
    throwIfCancelled();
    const orig = tuned.find((o) => o.method === 'original' && o.k === t.k && o.seed === t.seed);
    if (!orig?.entry) continue;
    const s = planeScores(await gridsOf(orig), await gridsOf(t), { radiusFraction: a.radiusFraction, neighbourhood: a.neighbourhood });
    const lambda = t.method === 'retrain' ? null : t.lambda;
    rows.push(
      row(profile, t, lambda, 'similarity', s.similarity),
      row(profile, t, lambda, 'change', s.change),
      row(profile, t, lambda, 'agreement', s.agreement),
    );
    for (const c of s.changeCurve) rows.push(row(profile, t, lambda, `change@${c.radiusFraction}`, c.change));
  }
  return rows;
}
