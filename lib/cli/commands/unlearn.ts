// `unlearn unlearn`: run one unlearning method (or retrain) on a stored original model and print its evaluation.
import { modelFeatures } from '../../experiment/features';
import { splitErrorsOf } from '../../metrics/features';
import type { Command } from '../command';
import { intOpt, printJson } from '../command';
import { ensureBackend } from '../../backend/select';
import { getProfile } from '../../experiment/profiles';
import { originalConfig } from '../../experiment/configs';
import { runUnlearn, unlearnConfig } from '../../experiment/unlearn';
import { methods } from '../../unlearn/registry';
import { resolveHyper } from '../../unlearn/hyper-schema';
import { terminalProgress } from '../../notebook/progress';
import { pick, UsageError } from '../../util/errors';
import { parseGoal } from './goal';

/**
 * Parses "lr=0.01,epochs=3" into numbers (the method's schema then checks keys and ranges); an empty list,
 * a pair without '=' or a number, and a repeated key are UsageErrors.
 * @example
 * parseHp('lr=0.01,epochs=3'); // { lr: 0.01, epochs: 3 }
 */
export function parseHp(value: unknown): Record<string, number> {
  if (value === undefined) return {};
  const usage = 'key=number pairs separated by commas (e.g. --hp lr=0.01,epochs=3)';
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--hp needs ${usage}, got '${String(value)}'`);
  const out: Record<string, number> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim(),
      v = part.slice(eq + 1).trim();
    const n = v === '' ? NaN : Number(v);
    if (eq < 0 || !key || !Number.isFinite(n)) throw new UsageError(`--hp expects ${usage}, got '${part}'`);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new UsageError(`--hp sets '${key}' twice in '${value}'`);
    Object.defineProperty(out, key, { value: n, enumerable: true, writable: true, configurable: true }); // also '__proto__', which the schema then rejects
  }
  return out;
}

export const unlearn: Command = {
  summary: 'run one unlearning method on a stored original model',
  usage: `usage: unlearn unlearn --method ${Object.keys(methods).join('|')} [--hp lr=0.01,epochs=3] [--profile P] [--goal privacy|bias] [--k 8] [--seed 0] [--json]`,
  options: {
    method: { type: 'string' },
    hp: { type: 'string' },
    profile: { type: 'string' },
    goal: { type: 'string', default: 'privacy' },
    k: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v) {
    if (!v.method) throw new UsageError(`--method is required\n${unlearn.usage}`);
    const profile = getProfile(v.profile as string | undefined);
    const goal = parseGoal(v.goal);
    const k = intOpt(v.k, '--k', profile.widths[profile.widths.length - 1], { min: 1 });
    const seed = intOpt(v.seed, '--seed', profile.seeds[0], { min: 0 });
    // The method and every --hp key and value are checked against its schema before the data is loaded.
    const hp = resolveHyper(String(v.method), pick(methods, String(v.method), 'unlearning method'), parseHp(v.hp));
    const cfg = unlearnConfig(await originalConfig(profile, { goal, k, seed }), String(v.method), hp);
    await ensureBackend();
    const e = await runUnlearn(cfg, { progress: v.json ? undefined : terminalProgress() });
    const er = splitErrorsOf(await modelFeatures(e, cfg.original.data, cfg.original.seed));
    if (v.json) printJson({ hash: e.hash, dir: e.dir, computed: e.computed, config: cfg, result: e.result, errors: er });
    else {
      console.log(`${cfg.method} ${JSON.stringify(cfg.hp)} k=${k} seed=${seed} ${goal}: ${e.computed ? 'ran' : 'reused'} ${e.hash}`);
      console.log(
        `  error: retain ${pct(er.retain)}  forget ${pct(er.forget)} (true labels ${pct(er.forgetTrue)})  validation ${pct(er.validation)}  test ${pct(er.test)}`,
      );
    }
    return 0;
  },
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
