// `unlearn sweep`: every method over its grid for the profile's widths × seeds (or a slice of them, one
// process per slice on a job array sharing a store), then the tuned selection per λ.
import type { Command } from '../command';
import { intList, intOpt, nameList, printJson } from '../command';
import { defaultWorkers, jsonLineProgress } from '../../experiment/workers';
import type { Profile } from '../../experiment/profiles';
import { readJsonIfExists } from '../../util/atomic';
import { UsageError } from '../../util/errors';
import { ensureBackend } from '../../backend/select';
import { getProfile, profiles } from '../../experiment/profiles';
import { sweep as runSweep, sweepSize, sweepUnits } from '../../experiment/sweep';
import { metricParams, scorePoints, tune } from '../../experiment/analysis';
import type { GridOverrides } from '../../unlearn/grids';
import type { MetricReader } from '../../metrics/registry';
import { parseShard, shardUnits } from '../../experiment/shard';
import { methods, type MethodName } from '../../unlearn/registry';
import { terminalProgress } from '../../notebook/progress';
import { validateRecipe } from '../../train/validate-recipe';
import { parseGoal } from './goal';

export const sweep: Command = {
  summary: 'run the tuning sweep of a profile (resumable; slice with --k/--seed/--methods)',
  usage: `usage: unlearn sweep [--profile ${Object.keys(profiles).join('|')}] [--goal privacy|bias] [--k 4,8] [--seed 0] [--methods ${Object.keys(methods).join(',')}] [--workers N] [--shard I/N] [--json]\n       --shard I/N runs task I (0-based) of N of a job array (default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT); tasks sharing a store compute every model once`,
  options: {
    profile: { type: 'string' },
    'profile-file': { type: 'string' },
    'progress-json': { type: 'boolean' },
    workers: { type: 'string' },
    goal: { type: 'string', default: 'privacy' },
    k: { type: 'string' },
    seed: { type: 'string' },
    methods: { type: 'string' },
    shard: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v) {
    const { profile, grids } = v['profile-file']
      ? readProfileFile(String(v['profile-file']))
      : { profile: getProfile(v.profile as string | undefined), grids: undefined };
    const goal = parseGoal(v.goal);
    const ms = v.methods !== undefined ? (nameList(v.methods, '--methods', methods, 'unlearning method') as MethodName[]) : undefined;
    const o = {
      profile,
      goal,
      widths: v.k !== undefined ? intList(v.k, '--k', { min: 1 }) : undefined,
      seeds: v.seed !== undefined ? intList(v.seed, '--seed', { example: '0,1,2' }) : undefined,
      methods: ms,
      grids,
    };
    const workers = v.workers !== undefined ? intOpt(v.workers, '--workers', 1, { min: 1 }) : undefined;
    const shard = parseShard(v.shard as string | undefined);
    await ensureBackend();
    if (!v.json)
      console.error(
        `sweep ${profile.name}/${goal}${shard ? ` shard ${shard.index}/${shard.count}` : ''}: up to ${shard ? shardUnits(sweepUnits(o), shard).length : sweepSize(o)} trainings (stored ones are reused)`,
      );
    const t0 = Date.now();
    const progress = v['progress-json'] ? jsonLineProgress() : v.json ? undefined : terminalProgress();
    const points = await runSweep({ ...o, progress, shard, workers: shard ? 1 : (workers ?? defaultWorkers()) });
    progress?.done(`${points.length} models`);
    const tuned = tune(scorePoints(points, metricParams()), profile.lambdas);
    const brief = <P extends { features: unknown; entry?: unknown; metrics?: unknown }>({
      features: _f,
      entry: _e,
      metrics: m,
      ...p
    }: P) => ({ ...p, ...(m ? { errors: errorsOf(m as MetricReader) } : {}) });
    if (v.json) {
      printJson({ points: points.map(brief), tuned: tuned.map(brief), seconds: (Date.now() - t0) / 1000 });
      return 0;
    }
    console.log(`\n  k seed method        λ    val err  forget err  test err  hyperparameters`);
    for (const t of tuned) {
      const e = errorsOf(t.metrics);
      console.log(
        `${String(t.k).padStart(3)} ${String(t.seed).padStart(4)} ${t.method.padEnd(12)} ${t.lambda.toFixed(1)}  ${pct(e.validation)}  ${pct(e.forget).padStart(10)}  ${pct(e.test).padStart(8)}  ${JSON.stringify(t.hp)}`,
      );
    }
    console.log(`${points.length} models, ${points.filter((p) => p.failed).length} failed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return 0;
  },
};

const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;

const errorsOf = (m: MetricReader) => ({ validation: m.validationError, forget: m.forgetError, test: m.testError });

/** A profile written by a parent sweep (lib/experiment/workers.ts), with its grid overrides. */
function readProfileFile(file: string): { profile: Profile; grids?: GridOverrides } {
  const p = readJsonIfExists<Profile & { gridOverrides?: GridOverrides }>(file);
  if (!p || typeof p.name !== 'string' || !Array.isArray(p.widths)) throw new UsageError(`--profile-file ${file}: not a profile JSON file`);
  validateRecipe(p.original, { label: `--profile-file ${file}: original` });
  const { gridOverrides, ...profile } = p;
  return { profile, grids: gridOverrides };
}
