// Golden snapshots of every plot builder in lib/plot/: fixed, hand-written tidy rows (and region grids, and a
// training history) → plotly spec → rounded JSON, compared with test/golden/plots/*.json. A changed builder (a
// trace, a colour, an axis, a hover template) shows up as a diff of the spec.
//
// Accept an intended change (rewrites every snapshot of this file; review `git diff test/golden/plots` after):
//   UPDATE_GOLDEN=1 node --import tsx --test test/golden-plots.test.ts
//
// Numbers are rounded to 6 decimals (roundNumbers) so the last bits of Math.pow in the x jitter, or of the
// means and standard deviations, cannot make the snapshot differ between platforms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultRow } from '../lib/results/rows';
import { aggregateSeeds } from '../lib/results/aggregate';
import { widthFigure } from '../lib/plot/width-figure';
import { regionsFigure } from '../lib/plot/regions-figure';
import { trainingCurves } from '../lib/plot/training-curve';
import { figureToJson, describeFigure, type PlotlyFigure } from '../lib/plot/figure';
import { figures, type FigureId } from '../lib/figures/catalog';
import type { RegionExample } from '../lib/figures/regions';
import type { StoredPlane } from '../lib/experiment/regions';
import type { TrainHistory } from '../lib/train/loop';
import { CIFAR10_CLASSES } from '../lib/data/cifar-binary';
import { matchGolden, roundNumbers } from './helpers/golden';

const UPDATE = 'UPDATE_GOLDEN=1 node --import tsx --test test/golden-plots.test.ts';

// ---- the rows: 3 widths, 2 seeds, the two references, 3 tuned methods at 2 λ each -------------------------
const widths = [1, 4, 16];
const seeds = [0, 1];
const lambdas = [0.2, 0.6];
/** Value of a metric before the method, width and seed terms (every figure's panel metrics, plus `retainError`, drawn by none). */
const base: Record<string, number> = {
  testError: 0.55,
  forgetGap: 0.2,
  forgetError: 0.3,
  forgetErrorTrue: 0.6,
  mia: 0.62,
  confidenceAuc: 0.7,
  similarity: 0.8,
  change: 0.25,
  retainError: 0.05,
};
const offset: Record<string, number> = { original: 0, retrain: -0.05, finetune: 0.03, scrub: -0.02, gradAscent: 0.08 };

/** value = base + method offset + 0.1·λ − 0.03·log2(k) + 0.01·seed (a hand-written table in one line). */
function value(metric: string, method: string, lambda: number | null, k: number, seed: number): number {
  return base[metric] + offset[method] + 0.1 * (lambda ?? 0) - 0.03 * Math.log2(k) + 0.01 * seed;
}

/** Rows of one figure's goal: references once (λ = null), tuned methods per λ; gradAscent has seed 0 only (std 0). */
function rowsOf(goal: string, metrics: string[]): ResultRow[] {
  const rows: ResultRow[] = [];
  const add = (k: number, seed: number, method: string, lambda: number | null) => {
    for (const metric of metrics) {
      rows.push({
        dataset: 'cifar10',
        arch: 'resnet18k',
        k,
        seed,
        goal,
        method,
        lambda,
        metric,
        value: value(metric, method, lambda, k, seed),
        hp: '{"lr":0.01}',
        hash: `h${k}${seed}`,
      });
    }
  };
  for (const k of widths) {
    for (const seed of seeds) {
      add(k, seed, 'original', null);
      add(k, seed, 'retrain', null);
      for (const lambda of lambdas) {
        add(k, seed, 'finetune', lambda);
        add(k, seed, 'scrub', lambda);
        if (seed === 0) add(k, seed, 'gradAscent', lambda);
      }
    }
  }
  return rows;
}

const snapshot = (fig: PlotlyFigure) => roundNumbers(figureToJson(fig), 6);
const widthIds = (Object.keys(figures) as (keyof typeof figures)[]).filter((id): id is FigureId => figures[id].kind === 'width');

test('the snapshot set covers every width figure of the catalog', () => {
  assert.deepEqual(widthIds, ['fig1-privacy', 'fig2-bias', 'fig3-mia', 'fig5-regions']);
});

for (const id of widthIds) {
  test(`widthFigure of ${id} (catalog spec, 3 widths × 2 seeds × 5 methods × 2 λ) matches test/golden/plots/${id}.json`, () => {
    const spec = figures[id];
    const fig = widthFigure(aggregateSeeds(rowsOf(spec.goal, [...spec.panels.map((p) => p.metric), 'retainError'])), spec);
    matchGolden(`plots/${id}.json`, snapshot(fig), UPDATE);
  });
}

test('widthFigure restricted to one method with a custom x title matches test/golden/plots/fig1-privacy-scrub.json', () => {
  const spec = figures['fig1-privacy'];
  const fig = widthFigure(aggregateSeeds(rowsOf('privacy', ['testError', 'forgetGap'])), {
    ...spec,
    methods: ['scrub'],
    xTitle: 'ResNet width k',
  });
  matchGolden('plots/fig1-privacy-scrub.json', snapshot(fig), UPDATE);
});

// ---- decision regions: two widths, 4 × 4 grids with a hand-written class pattern per model ------------------
function plane(shift: number): StoredPlane {
  const n = 4;
  const us = [-0.1, 0.3, 0.7, 1.1],
    vs = [-0.1, 0.3, 0.7, 1.1];
  // stored index i·n + j is the class at (us[i], vs[j])
  const classes = Array.from({ length: n * n }, (_, ij) => (Math.floor(ij / n) + 2 * (ij % n) + shift) % 10);
  return {
    triple: { forget: 3, retain: [7, 11] },
    anchors: [
      [0, 0],
      [1, 0],
      [0, 1],
    ],
    grid: { resolution: n, margin: 0.1, us, vs },
    classes,
  };
}
const examples: RegionExample[] = [1, 16].map((k, r) => ({
  k,
  method: 'scrub',
  lambda: 0.4,
  hp: { lr: 0.005, epochs: 3 },
  planes: { original: plane(r), unlearned: plane(r + 1), retrained: plane(r + 5) },
}));

test('regionsFigure of two widths × (original, unlearned, retrained) matches test/golden/plots/fig4-decision-regions.json', () => {
  matchGolden('plots/fig4-decision-regions.json', snapshot(regionsFigure(examples, CIFAR10_CLASSES)), UPDATE);
});

// ---- training curves: a phase with accuracy and one without (null accuracy → no accuracy trace) -------------
const history: TrainHistory = {
  seconds: 12.5,
  resumedFromEpoch: 0,
  epochs: [
    { epoch: 1, phase: 'train', loss: 2.3, acc: 0.1, seconds: 4, steps: 7 },
    { epoch: 2, phase: 'train', loss: 1.9, acc: 0.31, seconds: 4, steps: 7 },
    { epoch: 3, phase: 'train', loss: 1.45, acc: 0.5, seconds: 4.5, steps: 7 },
    { epoch: 1, phase: 'forget', loss: 0.7, acc: null, seconds: 0.5, steps: 1 },
    { epoch: 2, phase: 'forget', loss: 1.2, acc: null, seconds: 0.5, steps: 1 },
  ],
};

test('trainingCurves of a two-phase history matches test/golden/plots/training-curves.json', () => {
  const fig = trainingCurves(history, 'cnn4 k=8: 3 epochs');
  assert.equal(describeFigure(fig), 'Figure "cnn4 k=8: 3 epochs": 3 traces (scatter x3), 8 points');
  matchGolden('plots/training-curves.json', snapshot(fig), UPDATE);
});
