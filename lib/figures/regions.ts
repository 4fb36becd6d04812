// Figure 4's data: the decision regions of the original, a tuned unlearned model and the retrained model on
// the same plane, for a narrow and a wide width (paper fig. 4, appendix D.1).
import type { Profile } from '../experiment/profiles';
import { sweep, tune } from '../experiment/sweep';
import { originalConfig } from '../experiment/configs';
import { modelRegions, type StoredPlane } from '../experiment/regions';
import { findEntry } from '../store/store';
import type { MethodName } from '../unlearn/registry';
import type { ProgressSink } from '../notebook/progress';
import { planeConfig } from './run';

/** Which models and plane to show. */
export interface RegionExampleConfig {
  profile: Profile;
  method: MethodName;
  lambda: number;
  /** Widths to compare (e.g. the profile's narrowest and widest). */
  widths: number[];
  seed: number;
  /** Which of the stored planes to draw. */
  plane: number;
  progress?: ProgressSink;
}

/** One width's three grids on the same plane. */
export interface RegionExample { k: number; method: string; lambda: number; planes: Record<'original' | 'unlearned' | 'retrained', StoredPlane>; hp: Record<string, number> }

/**
 * The three decision-region grids per width (reads/extends the privacy sweep and the region cache).
 * @example
 * const ex = await regionExamples({ profile, method: 'scrub', lambda: 0.4, widths: [1, 16], seed: 0, plane: 0 });
 */
export async function regionExamples(c: RegionExampleConfig): Promise<RegionExample[]> {
  const out: RegionExample[] = [];
  for (const k of c.widths) {
    const points = await sweep({ profile: c.profile, goal: 'privacy', widths: [k], seeds: [c.seed], methods: ['retrain', c.method], progress: c.progress });
    const tuned = tune(points, [c.lambda]);
    const pickHash = (m: string) => tuned.find((t) => t.method === m)?.hash ?? '';
    const cfg = await originalConfig(c.profile, { goal: 'privacy', k, seed: c.seed });
    const grids: Partial<RegionExample['planes']> = {};
    for (const [name, method] of [['original', 'original'], ['unlearned', c.method], ['retrained', 'retrain']] as const) {
      const e = findEntry(pickHash(method));
      if (!e) throw new Error(`no stored ${method} model for k=${k} seed=${c.seed}`);
      const r = await modelRegions(e, cfg.data, c.seed, planeConfig(c.profile), c.progress);
      if (c.plane >= r.result.planes.length) throw new RangeError(`plane ${c.plane} requested, the profile stores ${r.result.planes.length}`);
      grids[name] = r.result.planes[c.plane];
    }
    out.push({ k, method: c.method, lambda: c.lambda, planes: grids as RegionExample['planes'], hp: tuned.find((t) => t.method === c.method)?.hp ?? {} });
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
