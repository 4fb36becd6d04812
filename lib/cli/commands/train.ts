// `unlearn train`: train (or reuse from the store) the original models of a profile for the given widths
// and seeds — one process per width × seed fans a sweep out over machines sharing a store.
import { modelFeatures } from '../../experiment/features';
import { splitErrorsOf } from '../../metrics/features';
import type { Command } from '../command';
import { intList, intOpt, numOpt, printJson } from '../command';
import { ensureBackend } from '../../backend/select';
import { getProfile, profiles } from '../../experiment/profiles';
import { trainOriginal, type OriginalConfig } from '../../experiment/original';
import { originalConfig } from '../../experiment/configs';
import { terminalProgress } from '../../notebook/progress';
import { pick } from '../../util/errors';
import { archs } from '../../models/registry';
import { validateRecipe } from '../../train/validate-recipe';
import { parseGoal } from './goal';

export const train: Command = {
  summary: 'train original models (cached in the store)',
  usage: `usage: unlearn train [--profile ${Object.keys(profiles).join('|')}] [--goal privacy|bias] [--k 4,8] [--seed 0,1] [--arch NAME] [--epochs N] [--lr X] [--json]`,
  options: {
    profile: { type: 'string' },
    goal: { type: 'string', default: 'privacy' },
    k: { type: 'string' },
    seed: { type: 'string' },
    arch: { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v) {
    const profile = getProfile(v.profile as string | undefined);
    const goal = parseGoal(v.goal);
    const ks = v.k !== undefined ? intList(v.k, '--k', { min: 1 }) : profile.widths;
    const seeds = v.seed !== undefined ? intList(v.seed, '--seed', { example: '0,1,2' }) : profile.seeds;
    const arch = v.arch as string | undefined;
    if (arch !== undefined) pick(archs, arch, 'architecture');
    const epochs = intOpt(v.epochs, '--epochs', profile.original.epochs, { min: 1 });
    const lr = numOpt(v.lr, '--lr', profile.original.lr, { min: 0, minExclusive: true });
    // Every config is built and checked before the first training: a bad value never leaves a stored model.
    const cfgs: { k: number; seed: number; cfg: OriginalConfig }[] = [];
    for (const k of ks) {
      for (const seed of seeds) {
        const cfg = await originalConfig(profile, { goal, k, seed, arch }, { epochs, lr });
        validateRecipe(cfg.recipe, { names: { epochs: '--epochs', lr: '--lr' } });
        cfgs.push({ k, seed, cfg });
      }
    }
    await ensureBackend();
    const out: unknown[] = [];
    for (const { k, seed, cfg } of cfgs) {
      const e = await trainOriginal(cfg, { progress: v.json ? undefined : terminalProgress() });
      const r = splitErrorsOf(await modelFeatures(e, cfg.data, cfg.seed));
      out.push({
        hash: e.hash,
        dir: e.dir,
        computed: e.computed,
        config: cfg,
        errors: r,
        params: e.result.params,
        seconds: e.meta.seconds,
      });
      if (!v.json)
        console.log(
          `${cfg.model.arch} k=${k} seed=${seed} ${goal}: ${e.computed ? 'trained' : 'reused'} ${e.hash} | err retain ${pct(r.retain)} forget ${pct(r.forget)} val ${pct(r.validation)} test ${pct(r.test)}`,
        );
    }
    if (v.json) printJson(out);
    return 0;
  },
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
