// `unlearn eval`: the metrics of stored models from their stored features (errors, MIA, confidence attack) and, with --regions,
// decision-region similarity/change against the model's original and retrained references.
import type { Command } from '../command';
import { intOpt, numOpt, printJson } from '../command';
import { ensureBackend } from '../../backend/select';
import { findEntry, type StoreEntry } from '../../store/store';
import { computeFeatures, modelFeatures } from '../../experiment/features';
import { prepareData } from '../../experiment/data';
import { metricReader, metricNames, type MetricName } from '../../metrics/registry';
import { defaultMiaProtocol } from '../../metrics/mia-protocol';
import { trainOriginal, type OriginalConfig } from '../../experiment/original';
import { runUnlearn, unlearnConfig, type UnlearnConfig } from '../../experiment/unlearn';
import { modelRegions, pairScores } from '../../experiment/regions';
import { loadEntryModel } from '../../store/store';
import { disposeModel } from '../../models/model';
import { UsageError } from '../../util/errors';
import { getProfile } from '../../experiment/profiles';

export const evaluate: Command = {
  summary: 'evaluate stored models by hash (errors, MIA, attacks; --regions for decision regions)',
  usage: 'usage: unlearn eval HASH [HASH...] [--recompute] [--regions [--planes 20 --resolution 40 --radius 0.5 --margin 0.1]] [--json]',
  options: {
    recompute: { type: 'boolean' },
    regions: { type: 'boolean' },
    planes: { type: 'string' },
    resolution: { type: 'string' },
    radius: { type: 'string' },
    margin: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v, hashes) {
    if (hashes.length === 0) throw new UsageError(`give at least one stored model hash (see data/store/<kind>/)\n${evaluate.usage}`);
    const ro = v.regions ? regionOptions(v) : undefined;
    await ensureBackend();
    const out: unknown[] = [];
    for (const h of hashes) {
      const e = findEntry(h);
      if (!e || !e.modelFile) throw new UsageError(`no stored model with hash '${h}' under the store (UNLEARN_STORE)`);
      const original: OriginalConfig = e.kind === 'original' ? (e.config as OriginalConfig) : (e.config as UnlearnConfig).original;
      // Stored features (computed from the stored model when absent); --recompute runs the model again, storing nothing.
      let features = v.recompute ? undefined : await modelFeatures(e, original.data, original.seed);
      if (!features) {
        const d = await prepareData(original.data, original.seed);
        const m = loadEntryModel(e);
        try {
          features = await computeFeatures(m, d);
        } finally {
          disposeModel(m);
        }
      }
      const m = metricReader({ features, seed: original.seed, params: { mia: defaultMiaProtocol } });
      const named = metricNames.filter((n) => !n.startsWith('retrain'));
      const row: Record<string, unknown> = {
        kind: e.kind,
        hash: e.hash,
        config: e.config,
        metrics: Object.fromEntries(named.map((n: MetricName) => [n, m[n]])),
        mia: { protocol: defaultMiaProtocol, interval: m.detail('mia').interval },
      };
      if (ro) row.regions = await regions(e, original, ro);
      out.push(row);
      if (!v.json) console.log(JSON.stringify(row, (k, val) => (k === 'config' ? undefined : val), 2));
    }
    if (v.json) printJson(out);
    return 0;
  },
};

/** The --regions options, checked before any work. */
function regionOptions(v: Record<string, unknown>) {
  const p = getProfile();
  const planes = {
    planes: intOpt(v.planes, '--planes', p.planes, { min: 1 }),
    resolution: intOpt(v.resolution, '--resolution', p.resolution, { min: 2 }),
    margin: numOpt(v.margin, '--margin', 0.1, { min: 0 }),
  };
  return { planes, radiusFraction: numOpt(v.radius, '--radius', 0.5, { min: 0, minExclusive: true }) };
}

async function regions(
  e: StoreEntry<unknown, unknown>,
  original: OriginalConfig,
  { planes, radiusFraction }: ReturnType<typeof regionOptions>,
) {
  const orig = await trainOriginal(original);
  const retr = await runUnlearn(unlearnConfig(original, 'retrain'));
  const [ro, rr, rm] = await Promise.all([orig, retr, e].map((x) => modelRegions(x, original.data, original.seed, planes)));
  return {
    planes,
    radiusFraction,
    originalVsModel: pairScores(ro.result, rm.result, { radiusFraction }),
    originalVsRetrained: pairScores(ro.result, rr.result, { radiusFraction }),
    modelVsRetrained: pairScores(rm.result, rr.result, { radiusFraction }),
  };
}
