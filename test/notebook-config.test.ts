// Config cells as a user edits them (notebooks/03-mia.ipynb at smoke, through scripts/run-notebooks.py): a
// restricted config (`methods: ['scrub'], widths: [2]`) runs, says it explores, and writes only under
// results/smoke/explore/<hash>/ — the canonical tables stay untouched; a misspelt method id fails in the config
// cell with the valid ids listed; another tuning objective and MIA protocol re-score the stored models from their
// features and train nothing. Results go to a temporary UNLEARN_RESULTS. About 1.5 minutes with the smoke store warm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { storeRoot } from '../lib/util/paths';
import { storeEntryCount } from '../lib/experiment/record-run-times';

const root = path.resolve(__dirname, '..');
const PYTHON = process.env['JUPYTER_PYTHON'] || '/usr/bin/python3';
const CONFIG = /const config = \{[\s\S]*?\} satisfies FigureRunConfig;/;

interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
  outputs?: { data?: Record<string, unknown> }[];
}
const text = (s: string | string[] | unknown): string => (Array.isArray(s) ? s.join('') : String(s ?? ''));

function withConfig(file: string, config: string): void {
  const nb = JSON.parse(fs.readFileSync(path.join(root, 'notebooks', '03-mia.ipynb'), 'utf8')) as { cells: Cell[] };
  const cell = nb.cells.find((c) => CONFIG.test(text(c.source)));
  assert.ok(cell, `config cell matching ${CONFIG} in notebooks/03-mia.ipynb`);
  cell.source = text(cell.source).replace(CONFIG, config);
  for (const c of nb.cells) if (c.cell_type === 'code') c.outputs = [];
  fs.writeFileSync(file, JSON.stringify(nb));
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

test(
  'config cells: a restricted config explores without touching the canonical results; a misspelt method fails in the config cell',
  { timeout: 900_000 },
  () => {
    const dir = fs.mkdtempSync(path.join(root, '.jupyter', 'test-config-'));
    try {
      const results = path.join(dir, 'results');
      const explore = path.join(dir, 'explore.ipynb');
      const typo = path.join(dir, 'typo.ipynb');
      withConfig(explore, "const config = { profile, methods: ['scrub'], widths: [2] } satisfies FigureRunConfig;");
      withConfig(typo, "const config = { profile, methods: ['scurb'] } satisfies FigureRunConfig;");
      const t0 = Date.now();
      const run = spawnSync(PYTHON, ['scripts/run-notebooks.py', '--profile', 'smoke', '--inplace', explore, typo], {
        cwd: root,
        encoding: 'utf8',
        timeout: 880_000,
        env: { ...process.env, UNLEARN_RESULTS: results },
      });
      const log = `${run.stdout}\n${run.stderr}`;
      assert.match(log, new RegExp(`ok   ${explore}: `), log);
      // The typo: the config cell (cell 3) fails, and TypeScript's message lists the valid ids.
      assert.match(log, new RegExp(`FAIL ${typo}: cell 3: TypeScript error`), log);
      assert.match(
        log,
        /Type '"scurb"' is not assignable to type '"retrain" \| "finetune" \| "gradAscent" \| "negGradPlus" \| "scrub" \| "scrubR" \| "l1Sparse" \| "randomLabel"'/,
        log,
      );

      const files = listFiles(path.join(results, 'smoke'));
      assert.ok(files.length > 0, 'the exploration wrote files');
      assert.ok(
        files.every((f) => f.startsWith(`explore${path.sep}`)),
        `only explore/ written:\n${files.join('\n')}`,
      );
      const hashDir = files[0].split(path.sep)[1];
      assert.deepEqual(files.map((f) => f.split(path.sep).slice(2).join('/')).sort(), [
        'fig3-mia.csv',
        'fig3-mia.json',
        'figures/fig3-mia.png',
        'sweep-privacy.csv',
        'sweep-privacy.json',
      ]);
      const csv = fs
        .readFileSync(path.join(results, 'smoke', 'explore', hashDir, 'fig3-mia.csv'), 'utf8')
        .trim()
        .split('\n');
      const header = csv[0].split(',');
      const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
      assert.deepEqual([...new Set(rows.map((r) => r['k']))], ['2']);
      // methods: ['scrub'] sweeps SCRUB alone (add 'retrain' for the oracle); the original is always there.
      assert.deepEqual([...new Set(rows.map((r) => r['method']))].sort(), ['original', 'scrub']);

      // The notebook says so: the config cell shows the values that run and where they go.
      const nb = JSON.parse(fs.readFileSync(explore, 'utf8')) as { cells: Cell[] };
      const shown = nb.cells
        .flatMap((c) => c.outputs ?? [])
        .map((o) => text(o.data?.['text/markdown']))
        .join('\n');
      assert.match(shown, /\*\*Runs\*\* widths k = `2` · seeds `0` · λ ∈ `0.2, 0.4, 0.6`/);
      assert.match(shown, /\*\*Methods\*\* `scrub` \(SCRUB\)/);
      assert.match(
        shown,
        new RegExp(`\\*\\*Explores\\*\\* \\(widths, methods differ from the profile's\\): writes to \`[^\`]*explore/${hashDir}/\``),
      );
      assert.match(shown, /exploration: the canonical tables are unchanged/);
      console.log(`explore + typo notebooks: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      // Re-analysing the same models under another objective and MIA protocol trains nothing.
      const models = () => storeEntryCount(storeRoot(), ['original', 'unlearn']);
      const before = models();
      const analysis = path.join(dir, 'analysis.ipynb');
      withConfig(
        analysis,
        "const config = { profile, methods: ['scrub'], widths: [2], objective: (m, l) => l * m.validationError + (1 - l) * Math.abs(m.mia - 0.5), mia: { ...miaProtocols.firstAuthor, draws: 5 } } satisfies FigureRunConfig;",
      );
      const t1 = Date.now();
      const again = spawnSync(PYTHON, ['scripts/run-notebooks.py', '--profile', 'smoke', '--inplace', analysis], {
        cwd: root,
        encoding: 'utf8',
        timeout: 600_000,
        env: { ...process.env, UNLEARN_RESULTS: results },
      });
      assert.match(`${again.stdout}\n${again.stderr}`, new RegExp(`ok   ${analysis}: `), `${again.stdout}\n${again.stderr}`);
      assert.equal(models(), before, 'no model trained');
      const shownAgain = (JSON.parse(fs.readFileSync(analysis, 'utf8')) as { cells: Cell[] }).cells
        .flatMap((c) => c.outputs ?? [])
        .map((o) => text(o.data?.['text/markdown']))
        .join('\n');
      assert.match(shownAgain, /MIA `shuffle-split ×5 \(0\.1 test\), non-members test-forget-classes, clip ±100, 5 draws`/);
      const dirs = fs.readdirSync(path.join(results, 'smoke', 'explore')).filter((d) => d !== hashDir);
      assert.equal(dirs.length, 1, 'its own exploration folder');
      const written = JSON.parse(fs.readFileSync(path.join(results, 'smoke', 'explore', dirs[0], 'fig3-mia.json'), 'utf8')).config;
      assert.deepEqual([written.mia.cv, written.mia.draws, written.objective.includes('m.mia')], ['shuffle-split', 5, true]);
      console.log(`re-analysis notebook (nothing trained): ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
