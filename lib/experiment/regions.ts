// Decision regions of stored models on seeded planes through one forget and two retain images (paper
// appendix D.1, after Somepalli et al. 2022), cached per model; similarity/change scores between models
// (eq. 9–10, reconstructed) are computed from the cached grids.
import type { DataConfig } from './data';
import { dataKey, prepareData } from './data';
import { cached, loadEntryModel, type StoreEntry } from '../store/store';
import { disposeModel } from '../models/model';
import { decisionRegionsAsync, samplePlaneTriples, type PlaneTriple } from '../metrics/decision-regions';
import { changeCurve, regionScores, type RegionScoreOptions, type MeanStd, type ScoredPlane } from '../metrics/region-scores';
import type { PlanePoint, PlaneGrid } from '../metrics/plane';
import type { ProgressSink } from '../util/progress';
import { throwIfCancelled } from '../util/cancel';

/** The planes: how many, grid resolution and margin (sampled from the experiment's forget/retain split). */
export interface PlaneConfig {
  planes: number;
  resolution: number;
  margin: number;
  /** Only triples whose three images have distinct training labels (absent = any labels, the stored default). */
  distinctLabels?: boolean;
}

/** Version of how grids are computed (planes, grid, inference); part of the key, bump it with any change. */
export const REGIONS_VERSION = 'regions-1';

/** Everything that determines the class grids of one stored model. */
export interface RegionsConfig {
  definition: string;
  /** The stored model: its store kind and hash. */
  model: { kind: string; hash: string };
  data: DataConfig;
  seed: number;
  planes: PlaneConfig;
}

/** One plane's grid: anchors, grid axes and the predicted class per grid point. */
export interface StoredPlane {
  triple: PlaneTriple;
  anchors: PlanePoint[];
  grid: { resolution: number; margin: number; us: number[]; vs: number[] };
  classes: number[];
}

/** The class grids of one model on every plane. */
export interface RegionsResult {
  planes: StoredPlane[];
}

/**
 * Class grids of a stored model (computed once, then reused by every figure).
 * @example
 * const r = await modelRegions(unlearnedEntry, cfg.original.data, cfg.original.seed, { planes: 20, resolution: 40, margin: 0.1 });
 */
export async function modelRegions(
  entry: StoreEntry<unknown, unknown>,
  data: DataConfig,
  seed: number,
  planes: PlaneConfig,
  progress?: ProgressSink,
): Promise<StoreEntry<RegionsConfig, RegionsResult>> {
  const cfg: RegionsConfig = { definition: REGIONS_VERSION, model: { kind: entry.kind, hash: entry.hash }, data, seed, planes };
  return cached<RegionsConfig, RegionsResult>(
    'regions',
    cfg,
    async () => {
      const d = await prepareData(data, seed);
      const triples = samplePlaneTriples(
        d.splits.forget,
        d.splits.retain,
        planes.planes,
        seed,
        planes.distinctLabels ? { labels: d.splits.trainLabels } : {},
      );
      const model = loadEntryModel(entry);
      try {
        const regions = await decisionRegionsAsync({ m: model }, d.train, triples, {
          resolution: planes.resolution,
          margin: planes.margin,
          onPlane: (done, total) => {
            throwIfCancelled();
            progress?.update({ label: `decision regions ${entry.kind} ${entry.hash.slice(0, 8)}`, step: done, total });
          },
        });
        return {
          result: {
            planes: regions.map((r) => ({
              triple: r.triple,
              anchors: r.anchors.map((a): PlanePoint => [a[0], a[1]]),
              grid: { resolution: r.grid.resolution, margin: r.grid.margin, us: Array.from(r.grid.us), vs: Array.from(r.grid.vs) },
              classes: Array.from(r.classes.m),
            })),
          },
        };
      } finally {
        disposeModel(model);
      }
    },
    { context: await dataKey(data) },
  );
}

/** Turns stored grids of several models (same planes) into the shape the scores take. */
export function scoredPlanes(byModel: Record<string, RegionsResult>): ScoredPlane[] {
  const names = Object.keys(byModel);
  const n = byModel[names[0]].planes.length;
  return Array.from({ length: n }, (_, p) => {
    const first = byModel[names[0]].planes[p];
    const grid: PlaneGrid = {
      resolution: first.grid.resolution,
      margin: first.grid.margin,
      us: Float64Array.from(first.grid.us),
      vs: Float64Array.from(first.grid.vs),
    };
    const classes: Record<string, number[]> = {};
    for (const name of names) classes[name] = byModel[name].planes[p].classes;
    return { anchors: first.anchors, grid, classes };
  });
}

/** Similarity and change between two models' stored grids, mean ± std over planes. */
export function pairScores(a: RegionsResult, b: RegionsResult, options: RegionScoreOptions = {}): { similarity: MeanStd; change: MeanStd } {
  const s = regionScores(scoredPlanes({ a, b }), 'a', 'b', options);
  return { similarity: s.similarity, change: s.change };
}

/** The region scores a figure row carries: means over planes of similarity and change, whole-plane agreement, change curve (disc only). */
export interface PlaneScoreSummary {
  similarity: number;
  change: number;
  agreement: number;
  changeCurve: { radiusFraction: number; change: number }[];
}

/**
 * Every region score of model b against model a (its original) from their stored grids.
 * @example
 * planeScores(original.result, unlearned.result, { radiusFraction: 0.5 }).agreement;
 */
export function planeScores(a: RegionsResult, b: RegionsResult, options: RegionScoreOptions = {}): PlaneScoreSummary {
  const planes = scoredPlanes({ a, b });
  const s = regionScores(planes, 'a', 'b', options);
  const curve =
    options.neighbourhood === 'connected-region'
      ? []
      : changeCurve(planes, 'a', 'b').map((c) => ({ radiusFraction: c.radiusFraction, change: c.change.mean }));
  return { similarity: s.similarity.mean, change: s.change.mean, agreement: s.agreement, changeCurve: curve };
}
