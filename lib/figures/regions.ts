// Figure 4's data: the decision regions of the original, a tuned unlearned model and the retrained model on
// the same plane, for a narrow and a wide width (paper fig. 4, appendix D.1); defaults from the catalog.
import type { Profile } from '../experiment/profiles';
import { sweep } from '../experiment/sweep';
import { metricParams, scorePoints, tune, type AnalysisOptions } from '../experiment/analysis';
import { paperObjective } from '../unlearn/tuning';
import { originalConfig } from '../experiment/configs';
import { modelRegions } from '../experiment/regions';
import { methods, type MethodName } from '../unlearn/registry';
import type { ProgressSink } from '../notebook/progress';
import { resultLocation, type ResultLocation } from '../results/location';
import { cancellable, throwIfCancelled } from '../util/cancel';
import { pick, UsageError } from '../util/errors';
import { figures } from './catalog';
import { planeConfig, DEFAULT_PLANE_MARGIN } from './run';
import { objectiveSource } from '../experiment/analysis';
import type { RegionExample } from '../plot/regions-figure';

export type { RegionExample };

/** Which models and plane to show (a field left out takes the catalog's default, see `regionExampleDefaults`). */
export interface RegionExampleConfig extends Pick<AnalysisOptions, 'objective' | 'mia'> {
  profile: Profile;
  method?: MethodName;
  /** The λ whose tuned model is drawn (one of the profile's λ). */
  lambda?: number;
  /** Widths to compare (default: the profile's narrowest and widest). */
  widths?: number[];
  seed?: number;
  /** Which of the stored planes to draw. */
  plane?: number;
  /** Plane margin beyond the anchors (default 0.1, as fig5's). */
  planeMargin?: number;
  progress?: ProgressSink;
}

/** A region-example config with every default filled in. */
export type ResolvedRegionExample = Required<Omit<RegionExampleConfig, 'progress' | 'objective' | 'mia'>> &
  Pick<RegionExampleConfig, 'progress' | 'objective' | 'mia'>;

/**
 * Fig. 4's defaults at a profile: the catalog's method, λ, seed and plane, the narrowest and widest width.
 * @example
 * regionExampleDefaults(getProfile('smoke')); // { method: 'scrub', lambda: 0.4, widths: [2, 8], seed: 0, plane: 0 }
 */
export function regionExampleDefaults(profile: Profile): Omit<ResolvedRegionExample, 'profile' | 'progress' | 'objective' | 'mia'> {
  const e = figures['fig4-decision-regions'].example;
  return {
    method: e.method,
    lambda: e.lambda,
    widths: [profile.widths[0], profile.widths[profile.widths.length - 1]],
    seed: e.seed,
    plane: e.plane,
    planeMargin: DEFAULT_PLANE_MARGIN,
  };
}

/**
 * The config with defaults filled in; a UsageError names the valid values (for untyped callers).
 * @example
 * resolveRegionExample({ profile, method: 'finetune' }).lambda; // 0.4
 */
export function resolveRegionExample(c: RegionExampleConfig): ResolvedRegionExample {
  const r: ResolvedRegionExample = { ...regionExampleDefaults(c.profile), ...definedFields(c), profile: c.profile };
  pick(methods, r.method, 'unlearning method');
  if (!c.profile.lambdas.includes(r.lambda))
    throw new UsageError(
      `lambda ${r.lambda} is not tuned at profile '${c.profile.name}'; expected one of: ${c.profile.lambdas.join(', ')}`,
    );
  if (!r.widths.length || r.widths.some((k) => !Number.isInteger(k) || k < 1))
    throw new UsageError(`widths must be a non-empty list of integers ≥ 1, got ${JSON.stringify(r.widths)}`);
  if (!Number.isInteger(r.seed) || r.seed < 0) throw new UsageError(`seed must be an integer ≥ 0, got ${r.seed}`);
  if (!Number.isInteger(r.plane) || r.plane < 0 || r.plane >= c.profile.planes)
    throw new UsageError(`plane must be an integer in 0…${c.profile.planes - 1} (the profile stores ${c.profile.planes}), got ${r.plane}`);
  return r;
}

function definedFields(c: RegionExampleConfig): Partial<RegionExampleConfig> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Partial<RegionExampleConfig>;
}

/**
 * Where notebook 04 saves its image: results/<profile>/ for the defaults, results/<profile>/explore/<hash>/ otherwise.
 * @example
 * regionExampleLocation({ profile, method: 'finetune' }).canonical; // false
 */
export function regionExampleLocation(c: RegionExampleConfig): ResultLocation {
  const { profile: _p, progress: _g, objective, mia: _m, ...settings } = resolveRegionExample(c);
  return resultLocation(
    c.profile.name,
    { ...settings, objective: objectiveSource(objective) },
    { ...regionExampleDefaults(c.profile), objective: objectiveSource(undefined) },
  );
}

/**
 * The three decision-region grids per width (reads/extends the privacy sweep and the region cache). Cancellable.
 * @example
 * const ex = await regionExamples({ profile, method: 'scrub', lambda: 0.4, widths: [1, 16], seed: 0, plane: 0 });
 */
export function regionExamples(config: RegionExampleConfig): Promise<RegionExample[]> {
  return cancellable(() => computeRegionExamples(resolveRegionExample(config)));
}

async function computeRegionExamples(c: ResolvedRegionExample): Promise<RegionExample[]> {
  const out: RegionExample[] = [];
  // One sweep over every width (the privacy sweep figures 1, 3 and 5 share), tuned once.
  const points = await sweep({
    profile: c.profile,
    goal: 'privacy',
    widths: c.widths,
    seeds: [c.seed],
    methods: ['retrain', c.method],
    progress: c.progress,
  });
  const tuned = tune(scorePoints(points, metricParams(c)), [c.lambda], c.objective ?? paperObjective);
  for (const k of c.widths) {
    const pickEntry = (m: string) => tuned.find((t) => t.method === m && t.k === k)?.entry;
    const cfg = await originalConfig(c.profile, { goal: 'privacy', k, seed: c.seed });
    const grids: Partial<RegionExample['planes']> = {};
    for (const [name, method] of [
      ['original', 'original'],
      ['unlearned', c.method],
      ['retrained', 'retrain'],
    ] as const) {
      throwIfCancelled();
      const e = pickEntry(method);
      if (!e) throw new Error(`no stored ${method} model for k=${k} seed=${c.seed}`);
      const r = await modelRegions(e, cfg.data, c.seed, planeConfig(c.profile, { planeMargin: c.planeMargin }), c.progress);
      if (c.plane >= r.result.planes.length)
        throw new RangeError(`plane ${c.plane} requested, the profile stores ${r.result.planes.length}`);
      grids[name] = r.result.planes[c.plane];
    }
    out.push({
      k,
      method: c.method,
      lambda: c.lambda,
      planes: grids as RegionExample['planes'],
      hp: tuned.find((t) => t.method === c.method && t.k === k)?.hp ?? {},
    });
  }
  c.progress?.done(`decision regions for k = ${c.widths.join(', ')}`);
  return out;
}

/**
 * One table row per example: the width and the tuned method's choice.
 * @example
 * showTable(regionExampleRows(examples));
 */
export function regionExampleRows(examples: readonly RegionExample[]): { k: number; method: string; λ: number; hyperparameters: string }[] {
  return examples.map((e) => ({ k: e.k, method: e.method, λ: e.lambda, hyperparameters: JSON.stringify(e.hp) }));
}
