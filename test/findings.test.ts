// Result tables read back from CSV, the README claim checks (a)–(d) on hand-built rows with known verdicts and
// hand-computed paired numbers, and repository-relative paths for notebook outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { parseResultRows } from '../lib/results/read';
import { findings, findingsMarkdown, findingsTable } from '../lib/results/findings';
import type { ResultRow } from '../lib/results/rows';
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

function regionRows(similarity: number, change: number): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const seed of [0, 1, 2])
    for (const k of [1, 8])
      for (const m of ['scrub', 'finetune']) {
        rows.push(r('privacy', k, seed, m, 0.4, 'similarity', similarity), r('privacy', k, seed, m, 0.4, 'change', change));
      }
  return rows;
}

test('findings: verdicts and paired numbers on hand-built rows', () => {
  const f = findings({ privacy: privacyRows(), bias: biasRows(true), regions: regionRows(0.95, 0.6) }, { lambda: 0.4 });
  assert.deepEqual(
    f.map((x) => [x.id, x.verdict]),
    [
      ['a', 'supported'],
      ['b', 'partly supported'],
      ['c', 'supported'],
      ['d', 'supported'],
    ],
  );
  // (a): means 0.53 and 0.80, stds 0.01 and 0.02.
  assert.match(f[0].evidence, /k=1: 0\.53 ± 0\.01, k=8: 0\.80 ± 0\.02/);
  assert.match(f[0].evidence, /rise from k=1 to k=8 is 0\.27, larger than the seed spread/);
  // (b): SCRUB's cost over the original paired by seed = 0.02, 0.03, 0.04 → 0.030 ± 0.010 (unpaired std would be 0.1).
  assert.match(f[1].evidence, /1 of 2 methods reach .* \(SCRUB\)/);
  assert.match(f[1].evidence, /SCRUB 0\.51 ± 0\.00 \(test error \+0\.030 ± 0\.010\)/);
  // (c): shares (0.7 − 0.1)/0.8 = 0.75, (0.8 − 0.1)/0.8 = 0.875, fine-tune 0.125.
  assert.match(f[2].evidence, /gradient ascent 0\.88 ± 0\.00; SCRUB 0\.75 ± 0\.00; retain only fine-tune 0\.13 ± 0\.00/);
  assert.match(findingsMarkdown(f), /^- \*\*\(a\) supported:\*\* the original model's MIA/);
  assert.deepEqual(findingsTable(f)[2], {
    claim: '(c) on wide models bias removal works only for methods that use the forget set (λ = 0.4)',
    verdict: 'supported',
    figure: 'Fig. 2 (fig2-bias.png)',
  });
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
