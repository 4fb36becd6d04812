// SLURM job array end to end: scripts/slurm/sweep.sbatch as a 2-task array on a real cluster into one store,
// every model of the smoke privacy sweep trained exactly once, both tasks working, and a later run computing nothing.
// Needs a cluster (bash scripts/slurm/local-cluster.sh starts one on localhost); CI sets UNLEARN_REQUIRE_SLURM=1,
// where a missing cluster is a failure, elsewhere the test is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const required = process.env.UNLEARN_REQUIRE_SLURM === '1';

/** Why no cluster can run the test, or undefined when `sinfo` answers with a usable node. */
function clusterProblem(): string | undefined {
  const onPath = (cmd: string) =>
    (process.env.PATH ?? '').split(path.delimiter).some((d) => {
      try {
        fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!onPath('sbatch') || !onPath('sinfo')) return 'sbatch is not on PATH (no SLURM client installed)';
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 5_000 });
  if (r.error || r.status !== 0) return `no SLURM cluster answers \`sinfo\` within 5 s (${r.error?.message ?? r.stderr.trim()})`;
  const states = r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!states.some((s) => /^(idle|mixed|allocated|completing)$/.test(s)))
    return `no SLURM node is up (sinfo: ${states.join(', ') || 'no nodes'})`;
  return undefined;
}

/** Environment of the tasks and of the final run: this process's, without test-runner and slicing variables. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of Object.keys(env))
    if (k.startsWith('SLURM_') || k === 'NODE_TEST_CONTEXT' || (k === 'UNLEARN_GOAL' && !extra[k])) delete env[k];
  return env;
}

/** Every file under the store's entry folders `<kind>/<16 hex>/`, with its mtime and size. */
function snapshot(store: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, `${rel}/${e.name}`);
      else {
        const s = fs.statSync(p);
        out.set(`${rel}/${e.name}`, `${s.mtimeMs} ${s.size}`);
      }
    }
  };
  for (const [, dir] of entries(store)) walk(dir, path.relative(store, dir));
  return out;
}

/** The store's entry folders, as `<kind>/<hash>` → path. */
function entries(store: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(store)) return out;
  for (const kind of fs.readdirSync(store, { withFileTypes: true })) {
    if (!kind.isDirectory() || kind.name.startsWith('.')) continue;
    for (const e of fs.readdirSync(path.join(store, kind.name), { withFileTypes: true })) {
      if (e.isDirectory() && /^[0-9a-f]{16}$/.test(e.name)) out.set(`${kind.name}/${e.name}`, path.join(store, kind.name, e.name));
    }
  }
  return out;
}

test(
  'a smoke sweep as a 2-task SLURM array trains every model once into one store; a later run computes nothing',
  { timeout: 360_000 },
  (t) => {
    const problem = clusterProblem();
    if (problem) {
      if (required)
        assert.fail(`UNLEARN_REQUIRE_SLURM=1 but ${problem}. Start a one-node cluster with: bash scripts/slurm/local-cluster.sh`);
      t.skip(`${problem}; start one with bash scripts/slurm/local-cluster.sh (CI sets UNLEARN_REQUIRE_SLURM=1 to make this a failure)`);
      return;
    }
    // Under the repository's data/ (git-ignored): on a real cluster that is on the filesystem the nodes share.
    const base = fs.existsSync(path.join(root, 'data')) ? path.join(root, 'data') : os.tmpdir();
    const tmp = fs.mkdtempSync(path.join(base, '.slurm-test-'));
    let jobId = '';
    const store = path.join(tmp, 'store');
    const logs = path.join(tmp, 'logs');
    try {
      // 1. The array, submitted as a user would: from the repository root, everything else from the environment.
      const t0 = Date.now();
      const env = cleanEnv({ UNLEARN_STORE: store, UNLEARN_LOG_DIR: logs, UNLEARN_PROFILE: 'smoke', GOAL: 'privacy' });
      const sub = spawnSync(
        'sbatch',
        ['--wait', '--parsable', '--array=0-1', '--job-name=unlearn-test-sweep', 'scripts/slurm/sweep.sbatch'],
        { cwd: root, env, encoding: 'utf8', timeout: 300_000 },
      );
      const logFiles = fs.existsSync(logs)
        ? fs
            .readdirSync(logs)
            .filter((f) => f.endsWith('.log'))
            .sort()
        : [];
      const logText = logFiles.map((f) => `--- ${f}\n${fs.readFileSync(path.join(logs, f), 'utf8')}`).join('\n');
      jobId = sub.stdout.trim().split(/[;\n]/)[0];
      t.diagnostic(`array job ${jobId}: sbatch --wait returned ${sub.status} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      assert.equal(sub.error, undefined, `sbatch: ${sub.error?.message}\n${logText}`);
      assert.equal(
        sub.status,
        0,
        `sbatch --wait exit ${sub.status} (the highest exit code of the array's tasks)\n${sub.stderr}\n${logText}`,
      );

      // 2. Both tasks ran, as shards 0/2 and 1/2, and exited 0.
      assert.equal(logFiles.length, 2, `expected one log per task in ${logs}, found ${logFiles.join(', ') || 'none'}`);
      const tasks = logFiles.map((f) => {
        const text = fs.readFileSync(path.join(logs, f), 'utf8');
        return {
          file: f,
          text,
          // the shard as the CLI itself reports it (read from SLURM_ARRAY_TASK_*), not the script's own line
          shard: /shard (\d+\/\d+)/.exec(
            text
              .split('\n')
              .filter((l) => !l.startsWith('sweep.sbatch:'))
              .join('\n'),
          )?.[1],
          pid: Number(/sweep\.sbatch: pid (\d+)/.exec(text)?.[1]),
          exit: /sweep\.sbatch: exit (\d+)/.exec(text)?.[1],
        };
      });
      assert.deepEqual(tasks.map((x) => x.shard).sort(), ['0/2', '1/2'], logText);
      for (const x of tasks) assert.equal(x.exit, '0', `${x.file} did not end with exit 0:\n${x.text}`);

      // 3. The final run (same store, same thread count) lists every model of the sweep.
      const before = snapshot(store);
      const fin = spawnSync(
        process.execPath,
        [path.join(root, 'bin', 'unlearn.js'), 'sweep', '--profile', 'smoke', '--goal', 'privacy', '--json'],
        {
          cwd: root,
          env: cleanEnv({ UNLEARN_STORE: store, UNLEARN_THREADS: '1', UNLEARN_WORKERS: '1' }),
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      assert.equal(fin.status, 0, `final sweep: ${fin.stderr}`);
      const points = (JSON.parse(fin.stdout) as { points: { hash: string; method: string; failed?: string }[] }).points;
      const hashes = new Set(points.map((p) => p.hash));
      assert.ok(
        points.length >= 4 && points.some((p) => p.method === 'original'),
        `the smoke sweep has originals and grid points: ${points.length}`,
      );
      assert.equal(hashes.size, points.length, 'every point of the sweep is its own model');

      // 4. ... and computes nothing: the same entries, no file of them rewritten.
      const after = snapshot(store);
      assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'the final run added or removed store files');
      const rewritten = [...after].filter(([f, s]) => before.get(f) !== s).map(([f]) => f);
      assert.deepEqual(rewritten, [], 'the final run rewrote store files');

      // 5. Every model exists exactly once: one entry per point, each with one meta.json, nothing else; and each
      // has exactly one features entry (written right after its training), naming it.
      const all = entries(store);
      const found = new Map([...all].filter(([key]) => !key.startsWith('features/')));
      const featureOf = [...all]
        .filter(([key]) => key.startsWith('features/'))
        .map(([, dir]) => (JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { model: { hash: string } }).model.hash);
      assert.deepEqual(featureOf.sort(), [...hashes].sort(), 'one features entry per model');
      const byHash = new Map<string, string[]>();
      for (const key of found.keys()) {
        const h = key.split('/')[1];
        byHash.set(h, [...(byHash.get(h) ?? []), key]);
      }
      assert.deepEqual(
        [...byHash.keys()].sort(),
        [...hashes].sort(),
        `store entries ≠ the sweep's models (${found.size} entries, ${points.length} models)`,
      );
      for (const [h, keys] of byHash) assert.equal(keys.length, 1, `model ${h} stored ${keys.length} times: ${keys.join(', ')}`);
      const metas = new Map<string, Record<string, unknown>>();
      for (const [key, dir] of found) {
        const files = fs.readdirSync(dir);
        assert.equal(files.filter((f) => f === 'meta.json').length, 1, `${key}: ${files.join(', ')}`);
        assert.deepEqual(
          files.filter((f) => /tmp|lock|partial/i.test(f)),
          [],
          `${key} has leftover temporary files`,
        );
        metas.set(key, JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>);
      }

      // 6. Both tasks computed some of the models (the writer's pid in meta.json, else the hashes each task's log names).
      const byTask = tasks.map(() => [] as string[]);
      const pids = tasks.map((x) => x.pid);
      const withPid = [...metas].filter(([, m]) => typeof m.pid === 'number');
      if (withPid.length === metas.size) {
        for (const [key, m] of metas) {
          const i = pids.indexOf(m.pid as number);
          assert.ok(i >= 0, `${key} was written by pid ${m.pid}, not by a task of the array (${pids.join(', ')})`);
          byTask[i].push(key);
        }
      } else {
        for (const key of metas.keys()) {
          const who = tasks.map((x, i) => (x.text.includes(key.split('/')[1]) ? i : -1)).filter((i) => i >= 0);
          assert.ok(who.length >= 1, `no task log names ${key} and its meta.json has no pid`);
          for (const i of who) byTask[i].push(key);
        }
      }
      t.diagnostic(`models per task: ${tasks.map((x, i) => `${x.shard} ${byTask[i].length}`).join(', ')} of ${points.length}`);
      for (const [i, x] of tasks.entries()) assert.ok(byTask[i].length > 0, `task ${x.shard} computed no model:\n${x.text}`);
      assert.equal(
        byTask.reduce((n, b) => n + b.length, 0),
        points.length,
        'a model was computed by both tasks',
      );
    } finally {
      if (/^\d+$/.test(jobId)) spawnSync('scancel', [jobId], { timeout: 10_000 }); // a no-op once the array finished
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
);
