// Tests of the recorded notebook run times: record (cold / warm / partial) → results/<profile>/run-times.json →
// read → the header line, the CLI that scripts/reproduce.sh calls, and run-notebooks.py --timings-json feeding it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readRunTimes, runTimeLine, runTimesPath, NOTEBOOK_IDS } from '../lib/experiment/run-times';
import { recordRunTimes, storeEntryCount, type MeasurementFacts } from '../lib/experiment/record-run-times';
import { formatDuration } from '../lib/util/progress';

const REPO = path.resolve(__dirname, '..');
const facts: MeasurementFacts = {
  date: '2026-12-02T10:00:00.000Z',
  machine: '4 CPU cores (Test CPU), onednn backend, 4 sweep workers',
  backend: 'onednn',
  threads: 4,
  workers: 4,
};
const tmpdir = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

/** Runs `fn` with UNLEARN_RESULTS set to `root` (restored afterwards). */
function withResults<T>(root: string, fn: () => T): T {
  const saved = process.env.UNLEARN_RESULTS;
  process.env.UNLEARN_RESULTS = root;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.UNLEARN_RESULTS;
    else process.env.UNLEARN_RESULTS = saved;
  }
}

test('record → read → header: a cold run, then a warm one, kept side by side; a partial run is not recorded', async () => {
  const root = tmpdir('run-times-');
  const all = Object.fromEntries(NOTEBOOK_IDS.map((id, i) => [`notebooks/${id}.ipynb`, 100 + i]));
  const cold = await recordRunTimes({ profile: 'paper', seconds: all, storeBefore: 0, storeAfter: 40, facts, root });
  assert.deepEqual([cold.state, cold.written, cold.file], ['cold', true, runTimesPath('paper', root)]);
  const warm = await recordRunTimes({ profile: 'paper', seconds: { '01-privacy': 12.4 }, storeBefore: 40, storeAfter: 40, facts, root });
  assert.equal(warm.state, 'warm');
  const partial = await recordRunTimes({ profile: 'paper', seconds: { '01-privacy': 999 }, storeBefore: 40, storeAfter: 41, facts, root });
  assert.deepEqual([partial.state, partial.written], ['partial', false]);

  const file = readRunTimes('paper', root);
  assert.ok(file);
  assert.equal(file.format, 'run-times/1');
  assert.deepEqual(file.notebooks['01-privacy'], { cold: { seconds: 101, ...facts }, warm: { seconds: 12.4, ...facts } });
  assert.equal(
    file.all.cold?.seconds,
    NOTEBOOK_IDS.reduce((s, _, i) => s + 100 + i, 0),
  ); // every notebook ran: a whole-run time
  assert.equal(file.all.warm, undefined); // the warm run was one notebook only
  assert.deepEqual(fs.readdirSync(path.join(root, 'paper')), ['run-times.json'], 'no temporary left behind');

  withResults(root, () => {
    assert.equal(
      runTimeLine('paper', '01-privacy'),
      `**Run time** on ${facts.machine}: 1m41s with an empty store, 12s with its models already stored (notebooks share models: the first one to need a model computes it).`,
    );
    assert.match(runTimeLine('paper', '02-bias'), /1m42s with an empty store, not measured yet with its models already stored/);
    assert.match(runTimeLine('smoke', '00-setup'), /^\*\*Run time\*\* (on |at `smoke`: not measured yet)/); // falls back to the repository's copy, if any
  });
  await assert.rejects(
    recordRunTimes({ profile: 'paper', seconds: { '07-nope': 1 }, storeBefore: 0, facts, root }),
    /expected one of: 00-setup/,
  );
  fs.rmSync(root, { recursive: true, force: true });
});

test('header: the seeded cpu measurements; a missing or foreign file says so instead of failing the notebook', () => {
  // The committed results/cpu/run-times.json (re-recorded whenever the cpu reproduction is rerun): the line shows its values.
  const t = readRunTimes('cpu')?.notebooks['01-privacy'];
  assert.ok(t?.cold && t.warm, 'results/cpu/run-times.json records 01-privacy cold and warm');
  assert.ok(
    runTimeLine('cpu', '01-privacy').includes(
      `on ${t.cold.machine}: ${formatDuration(t.cold.seconds)} with an empty store, ${formatDuration(t.warm.seconds)} with its models already stored`,
    ),
    runTimeLine('cpu', '01-privacy'),
  );
  assert.match(t.cold.machine, /^\d+ CPU cores\b.* backend, \d+ sweep workers?\)?$/);
  assert.ok((t.cold.provenance ?? '').length > 20, 'the cold time says how it was measured');
  const root = tmpdir('run-times-bad-');
  withResults(root, () => {
    assert.match(
      runTimeLine('paper', '03-mia'),
      /at `paper`: not measured yet \(`npm run reproduce` records it in .*paper\/run-times\.json/,
    );
    fs.mkdirSync(path.join(root, 'paper'));
    fs.writeFileSync(path.join(root, 'paper', 'run-times.json'), '{"format":"other"}');
    assert.match(runTimeLine('paper', '03-mia'), /at `paper`: unknown \(.*is not a 'run-times\/1' file/);
  });
  fs.rmSync(root, { recursive: true, force: true });
});

test('store entry count: 0 for an empty or missing store, finished entries only', () => {
  const root = tmpdir('run-times-store-');
  assert.equal(storeEntryCount(path.join(root, 'absent')), 0);
  assert.equal(storeEntryCount(root), 0);
  fs.mkdirSync(path.join(root, 'original', '0123456789abcdef'), { recursive: true });
  fs.mkdirSync(path.join(root, 'original', '0123456789abcdef.tmp-1-2'), { recursive: true });
  fs.writeFileSync(path.join(root, 'original', 'fedcba9876543210.lock'), '');
  assert.equal(storeEntryCount(root), 1);
  fs.rmSync(root, { recursive: true, force: true });
});

const hasNbclient = spawnSync('/usr/bin/python3', ['-c', 'import nbclient'], { encoding: 'utf8' }).status === 0;

test(
  'reproduce path: run-notebooks.py --timings-json, then `unlearn run-times record` (cold into an empty store)',
  { skip: !hasNbclient && 'no nbclient in /usr/bin/python3', timeout: 180_000 },
  () => {
    const tmp = tmpdir('run-times-cli-');
    const nb = path.join(tmp, '06-findings.ipynb');
    fs.writeFileSync(
      nb,
      JSON.stringify({
        cells: [{ cell_type: 'code', execution_count: null, id: 'c1', metadata: {}, outputs: [], source: '1 + 1' }],
        metadata: { kernelspec: { name: 'unlearn-tslab', display_name: 'TypeScript (unlearn, tslab)', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const env = { ...process.env, UNLEARN_RESULTS: path.join(tmp, 'results'), UNLEARN_STORE: path.join(tmp, 'store') };
    const timings = path.join(tmp, 'timings.json');
    const run = spawnSync('/usr/bin/python3', ['scripts/run-notebooks.py', '--profile', 'smoke', '--timings-json', timings, nb], {
      cwd: REPO,
      env,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const written = JSON.parse(fs.readFileSync(timings, 'utf8')) as { profile: string; notebooks: { path: string; seconds: number }[] };
    assert.equal(written.profile, 'smoke');
    assert.deepEqual(
      written.notebooks.map((n) => n.path),
      [nb],
    );
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/unlearn.js', 'run-times', ...args], { cwd: REPO, env, encoding: 'utf8' });
    assert.equal(cli('store-count').stdout.trim(), '0');
    const rec = cli('record', '--profile', 'smoke', '--timings', timings, '--store-before', '0');
    assert.equal(rec.status, 0, rec.stderr);
    assert.match(rec.stdout, /recorded 1 notebook\(s\) as cold/);
    const file = readRunTimes('smoke', path.join(tmp, 'results'));
    const m = file?.notebooks['06-findings']?.cold;
    assert.ok(m && m.seconds === written.notebooks[0].seconds && m.threads >= 1 && m.workers >= 1 && m.backend.length > 0);
    assert.match(m.machine, /^\d+ CPU cores.*, \S+ backend, \d+ sweep workers?$/);
    assert.equal(cli('record', '--timings', timings, '--store-before', 'x').status, 2);
    fs.rmSync(tmp, { recursive: true, force: true });
  },
);
