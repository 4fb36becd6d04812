// Result tables read back from CSV, the README claim checks (a)–(d) on hand-built rows with known verdicts,
// hand-computed paired numbers and 95% intervals (3 seeds: t = 4.3027), the retrain oracle beside them, and
// repository-relative paths for notebook outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { parseResultRows } from '../lib/results/read';
import { findings, findingsMarkdown, findingsTable } from '../lib/results/findings';
import type { ResultRow } from '../lib/results/rows';
import { formatTable, type Row } from '../lib/notebook/table';
import { DataError } from '../lib/util/errors';
import { repoRelative, repoRoot } from '../lib/util/paths';
import * as path from 'path';

const r = (goal: string, k: number, seed: number, method: string, lambda: number | null, metric: string, value: number): ResultRow => ({
  dataset: 'cifar10',
  arch: 'resnet18k',
  k,
  seed,
  goal,
  method,
  lambda,
  metric,
  value,
  hp: '{"lr":0.01,"epochs":2}',
  hash: '0123456789012345',
});

test('parseResultRows: a CSV written by arquero reads back identically (λ empty → null, digit-only hash stays a string)', () => {
  const rows = [
    r('privacy', 8, 0, 'original', null, 'mia', 0.8),
    r('privacy', 8, 1, 'scrub', 0.4, 'mia', 0.52),
    r('privacy', 8, 1, 'scrub', 0.4, 'change', NaN),
  ];
  const back = parseResultRows(aq.from(rows).toCSV(), 'x.csv');
  assert.deepEqual(back.slice(0, 2), rows.slice(0, 2));
  assert.equal(typeof back[0].hash, 'string');
  assert.ok(Number.isNaN(back[2].value));
});

test('parseResultRows: a table without the expected columns names the file and the columns', () => {
  assert.throws(
    () => parseResultRows('k,seed,value\n1,0,0.5\n', 'results/cpu/fig1-privacy.csv'),
    (e: unknown) =>
      e instanceof DataError &&
      /fig1-privacy\.csv: missing column\(s\) dataset, arch, goal, method, lambda, metric, hp, hash/.test(e.message),
  );
  assert.throws(
    () =>
      parseResultRows(
        'dataset,arch,k,seed,goal,method,lambda,metric,value,hp,hash\ncifar10,resnet18k,wide,0,privacy,scrub,0.4,mia,0.5,{},h\n',
        'f.csv',
      ),
    /row 2: k and seed must be integers/,
  );
});

/** Three seeds, widths 1 and 8: the wide original is attacked (MIA 0.8), SCRUB fixes it at a small cost, fine-tune does not. */
function privacyRows(): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const seed of [0, 1, 2]) {
    rows.push(
      r('privacy', 1, seed, 'original', null, 'mia', 0.52 + 0.01 * seed),
      r('privacy', 8, seed, 'original', null, 'mia', 0.78 + 0.02 * seed),
    );
    rows.push(r('privacy', 1, seed, 'retrain', null, 'mia', 0.5), r('privacy', 8, seed, 'retrain', null, 'mia', 0.5));
    for (const k of [1, 8]) {
      rows.push(r('privacy', k, seed, 'original', null, 'testError', 0.5 + 0.1 * seed));
      rows.push(r('privacy', k, seed, 'retrain', null, 'testError', 0.51 + 0.1 * seed)); // cost 0.01
      rows.push(r('privacy', k, seed, 'scrub', 0.4, 'testError', 0.52 + 0.1 * seed + 0.01 * seed)); // cost 0.02, 0.03, 0.04
      rows.push(r('privacy', k, seed, 'finetune', 0.4, 'testError', 0.5 + 0.1 * seed));
      rows.push(r('privacy', k, seed, 'scrub', 0.4, 'mia', 0.51), r('privacy', k, seed, 'finetune', 0.4, 'mia', k === 8 ? 0.7 : 0.5));
      for (const lambda of [0.2, 0.6]) rows.push(r('privacy', k, seed, 'scrub', lambda, 'mia', 0.9));
    }
  }
  return rows;
}

/** Bias goal at k = 8: the forget-set methods close the gap (original 0.1 → retrain 0.9), fine-tune does not. */
function biasRows(forgetUsersWork: boolean): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const seed of [0, 1, 2])
    for (const k of [1, 8]) {
      rows.push(r('bias', k, seed, 'original', null, 'forgetError', 0.1), r('bias', k, seed, 'retrain', null, 'forgetError', 0.9));
      rows.push(
        r('bias', k, seed, 'scrub', 0.4, 'forgetError', forgetUsersWork ? 0.7 : 0.2),
        r('bias', k, seed, 'gradAscent', 0.4, 'forgetError', forgetUsersWork ? 0.8 : 0.2),
      );
      rows.push(r('bias', k, seed, 'finetune', 0.4, 'forgetError', 0.2));
    }
  return rows;
}

/** Region scores of two methods at λ = 0.4, and of the retrain oracle (similarity 0.9, change 0.5 → localisation +0.4). */
function regionRows(similarity: number, change: number): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const seed of [0, 1, 2])
    for (const k of [1, 8]) {
      for (const m of ['scrub', 'finetune']) {
        rows.push(r('privacy', k, seed, m, 0.4, 'similarity', similarity), r('privacy', k, seed, m, 0.4, 'change', change));
      }
      rows.push(r('privacy', k, seed, 'retrain', null, 'similarity', 0.9), r('privacy', k, seed, 'retrain', null, 'change', 0.5));
    }
  return rows;
}

/** An MIA row with its own 95% interval over the non-member draws, value ± half. */
const withDraws = (x: ResultRow, half: number): ResultRow => ({ ...x, lo: x.value - half, hi: x.value + half });

test('findings: verdicts, paired numbers with 95% intervals and the oracle on hand-built rows', () => {
  const f = findings({ privacy: privacyRows(), bias: biasRows(true), regions: regionRows(0.95, 0.6) }, { lambda: 0.4 });
  assert.deepEqual(
    f.map((x) => [x.id, x.verdict, x.intervals, x.robust]),
    [
      ['a', 'supported', 'yes', true],
      ['b', 'partly supported', 'partly', false],
      ['c', 'supported', 'yes', true],
      ['d', 'supported', 'yes', true],
    ],
  );
  // (a): means 0.53 and 0.80, stds 0.01 and 0.02 → half-widths 4.3027·0.01/√3 = 0.025 and 0.050.
  assert.match(f[0].evidence, /^Mean \[95% t-interval over 3 seeds\]; the MIA rows carry no interval over their non-member draws\./);
  assert.match(
    f[0].evidence,
    /Original MIA k=1: 0\.53 \[0\.51, 0\.55\], k=8: 0\.80 \[0\.75, 0\.85\] \(retrain oracle k=1: 0\.50 \[0\.50, 0\.50\], k=8: 0\.50 \[0\.50, 0\.50\]\)/,
  );
  // Rise paired by seed: 0.26, 0.27, 0.28 → 0.27 ± 0.025.
  assert.match(f[0].evidence, /rise from k=1 to k=8, paired by seed, is \+0\.27 \[\+0\.25, \+0\.29\], larger than the seed spread/);
  assert.match(f[0].evidence, /95% intervals clear the thresholds \(the rise above or below 0\): yes\.$/);
  // (b): SCRUB's cost over the original paired by seed = 0.02, 0.03, 0.04 → 0.030 [0.005, 0.055] (unpaired std would be 0.1):
  // the mean passes (≤ 0.05) but the interval reaches past 0.05; fine-tune's MIA 0.7 fails on its interval too.
  assert.match(f[1].evidence, /1 of 2 methods reach .* on the means \(SCRUB\)/);
  assert.match(f[1].evidence, /SCRUB 0\.51 \[0\.51, 0\.51\] \(test error \+0\.030 \[\+0\.005, \+0\.055\]\)/);
  assert.match(
    f[1].evidence,
    /At k=8 \(original MIA 0\.80 \[0\.75, 0\.85\]; retrain oracle MIA 0\.50 \[0\.50, 0\.50\], test error \+0\.010 \[\+0\.010, \+0\.010\] over the original\)/,
  );
  assert.match(f[1].evidence, /cost below or above 0\.05\): partly \(not for SCRUB: interval across a threshold\)\.$/);
  // (c): shares (0.7 − 0.1)/0.8 = 0.75, (0.8 − 0.1)/0.8 = 0.875, fine-tune 0.125; the oracle's forget error and gap beside them.
  assert.match(
    f[2].evidence,
    /gradient ascent 0\.88 \[0\.88, 0\.88\]; SCRUB 0\.75 \[0\.75, 0\.75\]; retain only fine-tune 0\.13 \[0\.13, 0\.13\]/,
  );
  assert.match(
    f[2].evidence,
    /At k=8 \(forget error: original 0\.10 \[0\.10, 0\.10\], retrain oracle 0\.90 \[0\.90, 0\.90\]; original→retrain gap \+0\.80 \[\+0\.80, \+0\.80\]\)/,
  );
  // (d): similarity / change / localisation 0.6 − (1 − 0.95) = 0.55, and the oracle's 0.5 − (1 − 0.9) = 0.4.
  assert.match(f[3].evidence, /at k=8 SCRUB 0\.95 \[0\.95, 0\.95\] \/ 0\.60 \[0\.60, 0\.60\] \/ \+0\.55 \[\+0\.55, \+0\.55\]/);
  assert.match(f[3].evidence, /\(retrain oracle 0\.90 \[0\.90, 0\.90\] \/ 0\.50 \[0\.50, 0\.50\] \/ \+0\.40 \[\+0\.40, \+0\.40\]\)/);
  assert.match(findingsMarkdown(f), /^- \*\*\(a\) supported:\*\* the original model's MIA/);
  assert.deepEqual(findingsTable(f)[1], {
    claim: '(b) tuned unlearning brings the MIA accuracy near 0.5 with a modest test-error cost on wide models (λ = 0.4)',
    verdict: 'partly supported',
    'intervals clear the thresholds': 'partly',
    figure: 'Fig. 3 and Fig. 1 (fig3-mia.png, fig1-privacy.png)',
  });
  assert.deepEqual(findingsTable(f)[2], {
    claim: '(c) on wide models bias removal works only for methods that use the forget set (λ = 0.4)',
    verdict: 'supported',
    'intervals clear the thresholds': 'yes',
    figure: 'Fig. 2 (fig2-bias.png)',
  });
  // Notebook 06 shows the table with showTable: its rows must be table rows (tsc checks the assignment).
  const table: readonly Row[] = findingsTable(f);
  assert.deepEqual(formatTable(table).columns, ['claim', 'verdict', 'intervals clear the thresholds', 'figure']);
});

test('findings: a verdict that holds on the means but not on the seed intervals (bias shares spread over seeds)', () => {
  // SCRUB's forget error 0.4, 0.5, 0.9 per seed → shares 0.375, 0.5, 1.0: mean 0.625 ≥ 0.5, std 0.3307,
  // half 4.3027·0.3307/√3 = 0.822 → [−0.20, 1.45] reaches below 0.5.
  const scrub = [0.4, 0.5, 0.9];
  const bias = biasRows(true).map((x) => (x.method === 'scrub' && x.k === 8 ? { ...x, value: scrub[x.seed] } : x));
  const c = findings({ privacy: privacyRows(), bias, regions: regionRows(0.95, 0.6) }, { lambda: 0.4 })[2];
  assert.equal(c.verdict, 'supported');
  assert.deepEqual([c.intervals, c.robust], ['partly', false]);
  assert.match(c.evidence, /with the forget set gradient ascent 0\.88 \[0\.88, 0\.88\]; SCRUB 0\.63 \[−0\.20, 1\.45\]/);
  assert.match(c.evidence, /\(share above or below 0\.5\): partly \(not for SCRUB: interval across a threshold\)\./);
});

test("findings: the MIA's own draw intervals are shown per seed and widen a check that the seeds alone would pass", () => {
  // SCRUB at k=8: MIA 0.54 on every seed (seed interval [0.54, 0.54], inside [0.45, 0.55]) with draws ±0.03 each:
  // the draws' interval of the mean is 0.03·√3/3 = 0.0173 → [0.523, 0.557] reaches past 0.55. Its cost is made 0.
  // Original MIA draws ±0.03 (k=8) and ±0.04 (k=1): the rise has ±√(0.03² + 0.04²) = ±0.05 per seed.
  const rows = privacyRows().map((x) => {
    if (x.method === 'scrub' && x.k === 8 && x.lambda === 0.4)
      return x.metric === 'mia' ? withDraws({ ...x, value: 0.54 }, 0.03) : { ...x, value: 0.5 + 0.1 * x.seed };
    if (x.method === 'original' && x.metric === 'mia') return withDraws(x, x.k === 8 ? 0.03 : 0.04);
    return x;
  });
  const [a, b] = findings({ privacy: rows, bias: biasRows(true), regions: regionRows(0.95, 0.6) }, { lambda: 0.4 });
  assert.match(a.evidence, /; \(draws ±h\) = the MIA's own 95% half-width over its non-member draws, mean over seeds\./);
  assert.match(a.evidence, /Original MIA k=1: 0\.53 \[0\.51, 0\.55\] \(draws ±0\.04\), k=8: 0\.80 \[0\.75, 0\.85\] \(draws ±0\.03\)/);
  assert.match(a.evidence, /is \+0\.27 \[\+0\.25, \+0\.29\] \(draws ±0\.05\), larger than the seed spread/);
  assert.equal(a.intervals, 'yes');
  assert.equal(b.verdict, 'partly supported'); // SCRUB passes on its means (|0.54 − 0.5| ≤ 0.05, cost 0)
  assert.match(b.evidence, /SCRUB 0\.54 \[0\.54, 0\.54\] \(draws ±0\.03\) \(test error \+0\.000 \[\+0\.000, \+0\.000\]\)/);
  assert.match(b.evidence, /: partly \(not for SCRUB: interval across a threshold\)\.$/);
  // Without the draws the same rows clear the thresholds: the widening is what opens the check.
  const bare = findings({ privacy: rows.map(({ lo, hi, ...x }) => x), bias: [], regions: [] }, { lambda: 0.4 })[1];
  assert.deepEqual([bare.verdict, bare.intervals, bare.robust], ['partly supported', 'yes', true]);
});

test('findings: one seed gives the means and no interval, so no check is cleared', () => {
  const f = findings({ privacy: privacyRows().filter((x) => x.seed === 0), bias: [], regions: [] }, { lambda: 0.4 });
  assert.equal(f[0].verdict, 'partly supported');
  assert.match(f[0].evidence, /^Mean of 1 seed \(no interval\);/);
  assert.match(f[0].evidence, /k=1: 0\.52 \(1 seed\), k=8: 0\.78 \(1 seed\)/);
  assert.match(f[0].evidence, /is \+0\.26 \(1 seed\) \(one seed: no spread to compare with\)/);
  assert.deepEqual([f[0].intervals, f[1].intervals, f[2].intervals], ['no', 'no', 'n/a']);
});

test('findings: a claim the rows contradict is reported as not supported', () => {
  const flat = privacyRows().map((x) => (x.method === 'original' && x.metric === 'mia' ? { ...x, value: 0.6 } : x));
  const f = findings({ privacy: flat, bias: biasRows(false), regions: regionRows(0.4, 0.5) }, { lambda: 0.4 });
  assert.deepEqual(
    f.map((x) => x.verdict),
    ['not supported', 'partly supported', 'not supported', 'not supported'],
  );
  assert.match(f[3].evidence, /0 of 2 methods at k=8 keep ≥ 0\.8/);
  assert.equal(findings({ privacy: [], bias: [], regions: [] })[0].verdict, 'no data');
});

test('repoRelative: result paths shown in notebooks are relative to the repository, other paths unchanged', () => {
  assert.equal(repoRelative(path.join(repoRoot(), 'results', 'cpu', 'fig1-privacy.csv')), 'results/cpu/fig1-privacy.csv');
  assert.equal(repoRelative('/tmp/elsewhere.csv'), '/tmp/elsewhere.csv');
});
