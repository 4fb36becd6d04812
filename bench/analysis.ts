// Re-analysis speed from stored features (issue 14's target: fig 1 under another tuning objective at `cpu`, with
// every model stored, in ≤ 10 s): times runFigure on an already-stored sweep — default, another objective, another
// MIA protocol over 20 draws — split into reading the store (sweep) and scoring + tuning (analysis); trains nothing.
// Run: npx tsx bench/analysis.ts [--profile cpu] [--seeds 0] (results go to a temporary folder; the store is only read;
// --seeds times a subset of the profile's seeds when only those are stored)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { getProfile } from '../lib/experiment/profiles';
import { originalConfig } from '../lib/experiment/configs';
import { dataKey } from '../lib/experiment/data';
import { unlearnConfig } from '../lib/experiment/unlearn';
import { sweepUnits } from '../lib/experiment/sweep';
import { readEntry } from '../lib/store/store';
import { ensureBackend } from '../lib/backend/select';
import { runFigure, type FigureRunConfig } from '../lib/figures/run';
import { miaProtocols } from '../lib/metrics/mia-protocol';
import type { FigureId } from '../lib/figures/catalog';

const { values: o } = parseArgs({ options: { profile: { type: 'string', default: 'cpu' }, seeds: { type: 'string' } } });

(async () => {
  await ensureBackend(); // the store keys include the compute identity
  const profile = getProfile(o.profile);
  const seeds = o.seeds ? o.seeds.split(',').map(Number) : profile.seeds;
  const units = sweepUnits({ profile, goal: 'privacy', seeds });
  let missing = 0;
  for (const u of units) {
    const orig = await originalConfig(profile, { goal: 'privacy', k: u.k, seed: u.seed });
    const so = { context: await dataKey(orig.data) };
    const stored =
      u.method === 'original' ? readEntry('original', orig, so) : readEntry('unlearn', unlearnConfig(orig, u.method, u.hp), so);
    if (!stored) missing++;
  }
  console.log(
    `\nre-analysis from stored features, profile ${profile.name}, seeds ${seeds.join(',')}: ${units.length - missing}/${units.length} models of the privacy sweep stored`,
  );
  if (missing) {
    console.log(`  skipped: ${missing} models not stored (run \`npm run reproduce\` or notebooks 01/03/05 at ${profile.name} first)`);
    return;
  }
  process.env.UNLEARN_RESULTS = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-bench-analysis-'));
  const runs: [string, FigureId, Omit<FigureRunConfig, 'profile'>][] = [
    ['fig1, default (first call: reads and verifies the store)', 'fig1-privacy', {}],
    ['fig1, default again', 'fig1-privacy', {}],
    [
      'fig1, another objective (MIA-aware J)',
      'fig1-privacy',
      { objective: (m, l) => l * m.validationError + (1 - l) * Math.abs(m.mia - 0.5) },
    ],
    ['fig3, first-author MIA protocol, 20 draws', 'fig3-mia', { mia: { ...miaProtocols.firstAuthor, draws: 20 } }],
  ];
  try {
    for (const [label, id, c] of runs) {
      const t0 = Date.now();
      const r = await runFigure(id, { profile, seeds, workers: 1, ...c });
      const trained = r.tuned.filter((t) => t.computed).length;
      console.log(
        `  ${label.padEnd(58)} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  (store ${r.seconds.sweep.toFixed(1)} s, analysis ${r.seconds.analysis.toFixed(1)} s, ${r.rows.length} rows${trained ? `, ${trained} TRAINED` : ''})`,
      );
    }
  } finally {
    fs.rmSync(process.env.UNLEARN_RESULTS as string, { recursive: true, force: true });
  }
})();
