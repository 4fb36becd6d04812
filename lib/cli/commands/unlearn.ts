// `unlearn unlearn`: run one unlearning method (or retrain) on a stored original model and print its evaluation.
import type { Command } from '../command';
import { intOpt, printJson } from '../command';
import { ensureBackend } from '../../backend/select';
import { getProfile } from '../../experiment/profiles';
import { originalConfig } from '../../experiment/configs';
import { runUnlearn, unlearnConfig } from '../../experiment/unlearn';
import { methods } from '../../unlearn/registry';
import { terminalProgress } from '../../notebook/progress';
import { UsageError } from '../../util/errors';
import { parseGoal } from './goal';

/** Parses "lr=0.01,epochs=3" into numbers. */
export function parseHp(value: unknown): Record<string, number> {
  if (value === undefined) return {};
  const out: Record<string, number> = {};
  for (const part of String(value).split(',').filter(Boolean)) {
    const [key, v] = part.split('=');
    const n = Number(v);
    if (!key || v === undefined || !Number.isFinite(n)) throw new UsageError(`--hp expects key=number pairs separated by commas (e.g. lr=0.01,epochs=3), got '${part}'`);
    out[key.trim()] = n;
  }
  return out;
}

export const unlearn: Command = {
  summary: 'run one unlearning method on a stored original model',
  usage: `usage: unlearn unlearn --method ${Object.keys(methods).join('|')} [--hp lr=0.01,epochs=3] [--profile P] [--goal privacy|bias] [--k 8] [--seed 0] [--json]`,
  options: { method: { type: 'string' }, hp: { type: 'string' }, profile: { type: 'string' }, goal: { type: 'string', default: 'privacy' }, k: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  async run(v) {
    if (!v.method) throw new UsageError(`--method is required\n${unlearn.usage}`);
    const profile = getProfile(v.profile as string | undefined);
    const goal = parseGoal(v.goal);
    const k = intOpt(v.k, '--k', profile.widths[profile.widths.length - 1]);
    const seed = intOpt(v.seed, '--seed', profile.seeds[0]);
    const cfg = unlearnConfig(await originalConfig(profile, { goal, k, seed }), String(v.method), parseHp(v.hp));
    await ensureBackend();
    const e = await runUnlearn(cfg, { progress: v.json ? undefined : terminalProgress() });
    if (v.json) printJson({ hash: e.hash, dir: e.dir, computed: e.computed, config: cfg, result: e.result });
    else {
      const er = e.result.evaluation.errors;
      console.log(`${cfg.method} ${JSON.stringify(cfg.hp)} k=${k} seed=${seed} ${goal}: ${e.computed ? 'ran' : 'reused'} ${e.hash}`);
      console.log(`  error: retain ${pct(er.retain)}  forget ${pct(er.forget)} (true labels ${pct(er.forgetTrue)})  validation ${pct(er.validation)}  test ${pct(er.test)}`);
    }
    return 0;
  },
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
