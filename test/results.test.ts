// Tidy rows → seed aggregates (arquero) → plotly figures: hand-computed means/stds and trace structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { aggregateSeeds } from '../lib/results/aggregate';
import { metricTable } from '../lib/results/summary';
import { tunedRows, sweepRows, type ResultRow } from '../lib/results/rows';
import { widthFigure } from '../lib/plot/width-figure';
import { profiles } from '../lib/experiment/profiles';
import { scorePoints, metricParams, type TunedPoint } from '../lib/experiment/analysis';
import type { SweepPoint } from '../lib/experiment/sweep';
import { toyFeatures } from './helpers/features';
import { runTimeLine } from '../lib/experiment/run-times';
import { regionExampleRows, type RegionExample } from '../lib/figures/regions';

const r = (k: number, seed: number, method: string, lambda: number | null, value: number, metric = 'testError'): ResultRow => ({
  dataset: 'cifar10',
  arch: 'resnet18k',
  k,
  seed,
  goal: 'privacy',
  method,
  lambda,
  metric,
  value,
  hp: '{}',
  hash: 'h',
});

test('aggregateSeeds: mean and sample std over seeds per (k, method, λ, metric)', () => {
  const rows = [
    r(1, 0, 'scrub', 0.2, 0.5),
    r(1, 1, 'scrub', 0.2, 0.7),
    r(1, 2, 'scrub', 0.2, 0.9),
    r(1, 0, 'original', null, 0.4),
    r(2, 0, 'scrub', 0.2, 0.3),
  ];
  const agg = aggregateSeeds(rows);
  const s = agg.find((a) => a.k === 1 && a.method === 'scrub');
  assert.ok(s);
  assert.ok(Math.abs(s.mean - 0.7) < 1e-12);
  assert.ok(Math.abs(s.std - 0.2) < 1e-12); // sqrt(((0.2)² + 0 + (0.2)²) / 2) = 0.2
  assert.equal(s.n, 3);
  const o = agg.find((a) => a.method === 'original');
  assert.deepEqual([o?.lambda, o?.std, o?.n], [null, 0, 1]);
  assert.deepEqual(
    metricTable(agg, 'testError').find((x) => x.method === 'SCRUB'),
    { method: 'SCRUB', λ: '0.2', 'k=1': '0.700 ± 0.200', 'k=2': '0.300 ± 0.000' },
  );
});

test('tunedRows: one row per requested metric, references once (λ = null), tuned methods per λ', () => {
  const features = toyFeatures({ forget: 0.1, validation: 0.4, test: 0.45 });
  const t = (method: string, lambda: number): TunedPoint => ({
    ...scorePoints([{ goal: 'privacy', k: 4, seed: 0, method, hp: {}, hash: 'x', features, seconds: 0 }], metricParams())[0],
    lambda,
    J: 0,
  });
  const rows = tunedRows([t('original', 0.2), t('original', 0.4), t('scrub', 0.2), t('scrub', 0.4)], profiles.smoke, [
    'testError',
    'forgetGap',
    'validationError',
  ]);
  assert.equal(rows.length, 3 * 3);
  assert.equal(
    rows.filter((x) => x.method === 'original').every((x) => x.lambda === null),
    true,
  );
  assert.ok(Math.abs((rows.find((x) => x.metric === 'forgetGap')?.value ?? 0) - 0.3) < 1e-12);
  assert.ok(Math.abs((rows.find((x) => x.metric === 'testError')?.value ?? 0) - 0.45) < 1e-12);
  assert.ok(
    rows.every((x) => x.lo === null && x.hi === null),
    'errors carry no interval',
  );
});

test('sweepRows: every scored grid point once (λ = null) with its compute seconds; failed points skipped', () => {
  const features = toyFeatures({ forget: 0.1, validation: 0.4, test: 0.45 });
  const p = (lr: number, seconds: number, f: typeof features | null = features): SweepPoint => ({
    goal: 'bias',
    k: 8,
    seed: 1,
    method: 'finetune',
    hp: { lr, epochs: 3 },
    hash: `h${lr}`,
    features: f,
    seconds,
  });
  const rows = sweepRows(scorePoints([p(0.005, 12.5), p(0.05, 13), p(0.1, 2, null)], metricParams()), profiles.smoke, [
    'testError',
    'forgetError',
  ]);
  assert.equal(rows.length, 2 * 3);
  assert.ok(rows.every((x) => x.lambda === null && x.goal === 'bias'));
  assert.deepEqual(
    rows.filter((x) => x.metric === 'seconds').map((x) => [x.hp, x.value]),
    [
      ['{"lr":0.005,"epochs":3}', 12.5],
      ['{"lr":0.05,"epochs":3}', 13],
    ],
  );
});

test('widthFigure: one trace per (method, λ) per panel, references drawn, log-scale width axis', () => {
  const rows = [0.2, 0.4]
    .flatMap((l) => [1, 2, 4].flatMap((k) => [r(k, 0, 'scrub', l, 0.1 * k), r(k, 0, 'scrub', l, 0.1 * k, 'mia')]))
    .concat(
      [1, 2, 4].flatMap((k) => [r(k, 0, 'original', null, 0.5), r(k, 0, 'retrain', null, 0.4), r(k, 0, 'retrain', null, 0.5, 'mia')]),
    );
  const fig = widthFigure(aggregateSeeds(rows), {
    title: 't',
    panels: [
      { metric: 'testError', title: 'a' },
      { metric: 'mia', title: 'b', hline: 0.5 },
    ],
  });
  // panel 1: original, retrain, scrub λ=0.2, scrub λ=0.4 → 4; panel 2: retrain + 2 scrub → 3
  assert.equal(fig.data.length, 7);
  assert.equal(fig.data.filter((d) => d.xaxis === 'x2').length, 3);
  assert.equal((fig.layout?.xaxis as { type: string }).type, 'log');
  const scrub = fig.data.find((d) => d.name === 'SCRUB, λ=0.2') as { y: number[]; showlegend: boolean };
  assert.deepEqual(
    scrub.y.map((v) => +v.toFixed(3)),
    [0.1, 0.2, 0.4],
  );
  assert.equal(scrub.showlegend, true);
  // Every λ has its own legend entry (all three λ visible), in the first panel only.
  assert.equal((fig.data.find((d) => d.name === 'SCRUB, λ=0.4') as { showlegend: boolean }).showlegend, true);
  assert.ok(fig.data.filter((d) => d.xaxis === 'x2').every((d) => (d as { showlegend: boolean }).showlegend === false));
  const json = JSON.stringify(fig);
  fs.writeFileSync(path.join(os.tmpdir(), 'width-figure.json'), json);
  assert.ok(json.length < 20_000);
});

test('runTimeLine: the measured run time of a notebook at a profile, or that it was not measured', () => {
  assert.match(runTimeLine('paper', '02-bias'), /at `paper`: not measured/);
});

test('regionExampleRows: one row per example with its tuned hyperparameters as JSON', () => {
  const plane = {} as RegionExample['planes']['original'];
  const ex: RegionExample = {
    k: 8,
    method: 'scrub',
    lambda: 0.4,
    hp: { lr: 0.005, epochs: 3 },
    planes: { original: plane, unlearned: plane, retrained: plane },
  };
  assert.deepEqual(regionExampleRows([ex]), [{ k: 8, method: 'scrub', λ: 0.4, hyperparameters: '{"lr":0.005,"epochs":3}' }]);
});
