// Exploration vs canonical results (lib/results/location.ts, lib/figures/run.ts, regions.ts, describe.ts) and the
// figure catalog: only the profile's defaults write results/<profile>/; Fig. 4 is in the catalog; config errors name
// the valid values; the notebooks list every method id beside its chart label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { getProfile } from '../lib/experiment/profiles';
import { figureLocation, resolveFigureConfig } from '../lib/figures/run';
import { regionExampleDefaults, regionExampleLocation } from '../lib/figures/regions';
import { describeFigureRun, describeRegionExample } from '../lib/figures/describe';
import { figures } from '../lib/figures/catalog';
import { overridesOf } from '../lib/results/location';
import { methodNames, type MethodName } from '../lib/unlearn/registry';
import { labelOf } from '../lib/plot/style';

const smoke = getProfile('smoke');

test('only the default config is canonical; any restriction explores under explore/<hash>/', () => {
  const canonical = figureLocation('fig1-privacy', { profile: smoke });
  assert.equal(canonical.canonical, true);
  assert.ok(canonical.dir.endsWith(path.join('results', 'smoke')), canonical.dir);
  // The defaults written out, in another order, are still the defaults.
  assert.equal(figureLocation('fig1-privacy', { profile: smoke, widths: [8, 2], methods: [...methodNames].reverse() }).canonical, true);
  const a = figureLocation('fig1-privacy', { profile: smoke, methods: ['scrub'], widths: [2] });
  assert.equal(a.canonical, false);
  assert.match(a.dir, /results[\\/]smoke[\\/]explore[\\/][0-9a-f]{16}$/);
  assert.deepEqual(a.overrides, { widths: [2], methods: ['scrub'] });
  assert.equal(
    figureLocation('fig3-mia', { profile: smoke, widths: [2], methods: ['scrub'] }).dir,
    a.dir,
    'the hash depends on the settings only',
  );
  assert.equal(figureLocation('fig5-regions', { profile: smoke, radiusFraction: 0.5 }).canonical, true);
  assert.equal(figureLocation('fig5-regions', { profile: smoke, radiusFraction: 0.3 }).canonical, false);
  assert.deepEqual(overridesOf({ seeds: undefined, widths: [2, 8] }, { seeds: [0], widths: [8, 2] }), {});
});

test('config values are resolved from the profile; bad values name the valid ones', () => {
  assert.deepEqual(resolveFigureConfig('fig1-privacy', { profile: smoke }), {
    widths: [2, 8],
    seeds: [0],
    methods: methodNames,
    lambdas: [0.2, 0.4, 0.6],
    panels: figures['fig1-privacy'].panels,
  });
  assert.deepEqual(resolveFigureConfig('fig5-regions', { profile: smoke }).regions, {
    radiusFraction: 0.5,
    neighbourhood: 'disc',
    planeMargin: 0.1,
    distinctLabels: false,
  });
  assert.throws(
    () => resolveFigureConfig('fig1-privacy', { profile: smoke, methods: ['scurb' as MethodName] }),
    /unknown unlearning method 'scurb'; expected one of: retrain, finetune, gradAscent, negGradPlus, scrub, scrubR, l1Sparse, randomLabel/,
  );
  assert.throws(
    () => resolveFigureConfig('fig1-privacy', { profile: smoke, widths: [0] }),
    /widths must be a non-empty list of integers ≥ 1/,
  );
  assert.throws(
    () => resolveFigureConfig('fig4-decision-regions' as 'fig1-privacy', { profile: smoke }),
    /not a width figure; runFigure draws: fig1-privacy, fig2-bias, fig3-mia, fig5-regions/,
  );
  const md = describeFigureRun('fig1-privacy', { profile: smoke });
  assert.match(md, /\*\*Runs\*\* widths k = `2, 8` · seeds `0` · λ ∈ `0.2, 0.4, 0.6`/);
  assert.match(md, /`negGradPlus` \(NegGrad\+\), `scrub` \(SCRUB\), `scrubR` \(SCRUB\+R\), `l1Sparse` \(ℓ1-sparse\)/);
  assert.match(md, /\*\*Writes\*\* the canonical tables and figures in `results\/smoke\/`/);
});

test('Fig. 4 is in the catalog; notebook 04 defaults come from it and a change explores', () => {
  assert.equal(figures['fig4-decision-regions'].kind, 'region-example');
  assert.deepEqual(regionExampleDefaults(smoke), { method: 'scrub', lambda: 0.4, widths: [2, 8], seed: 0, plane: 0, planeMargin: 0.1 });
  assert.equal(regionExampleLocation({ profile: smoke }).canonical, true);
  assert.equal(regionExampleLocation({ profile: smoke, method: 'finetune' }).canonical, false);
  assert.throws(
    () => describeRegionExample({ profile: smoke, lambda: 0.5 }),
    /lambda 0.5 is not tuned at profile 'smoke'; expected one of: 0.2, 0.4, 0.6/,
  );
  assert.match(describeRegionExample({ profile: smoke }), /\*\*Draws\*\* method `scrub` \(SCRUB\) tuned at λ = `0.4`/);
});

test('every figure notebook lists each method id beside its chart label', () => {
  const list = methodNames.map((m) => `\`${m}\` → ${labelOf(m)}`).join(', ');
  for (const nb of ['01-privacy', '02-bias', '03-mia', '04-decision-regions', '05-similarity']) {
    const cells = (
      JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'notebooks', `${nb}.ipynb`), 'utf8')) as { cells: { source: string[] }[] }
    ).cells;
    assert.ok(cells[0].source.join('').includes(list), `${nb} header lists ${list}`);
  }
});
