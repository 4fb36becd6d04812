// `unlearn findings`: the paper's four claims checked against results/<profile>/*.csv (lib/results/findings.ts),
// printed as the markdown list of the README section "What the CPU-scale reproduction shows" (--json: with each
// claim's interval check).
import type { Command } from '../command';
import { numOpt, printJson } from '../command';
import { readFindingInputs } from '../../results/read';
import { UsageError } from '../../util/errors';
import { findings, findingsBesideMarkdown, findingsMarkdown } from '../../results/findings';
import { repoRelative } from '../../util/paths';
import * as fs from 'fs';
import { getProfile } from '../../experiment/profiles';

export const findingsCommand: Command = {
  summary: "check the paper's claims (a)–(d) against a profile's result tables",
  usage:
    'usage: unlearn findings [--profile cpu] [--lambda 0.4] [--near-chance 0.05] [--modest-cost 0.05] [--require-data] [--beside DIR] [--json]\n' +
    '  Reads results/<profile>/fig3-mia.csv, fig2-bias.csv and fig5-regions.csv (written by the notebooks), and sweep-bias.csv\n' +
    "  when present (claim (c) also re-tuned on validation without the grid points at the original's peak learning rate);\n" +
    '  --require-data fails (exit 2) when a claim has no data to be checked on. --beside DIR: the same check on another\n' +
    "  run's copy of the tables (e.g. `git archive 9e16c5a results/cpu | tar -x -C /tmp/prev`, DIR = /tmp/prev/results/cpu),\n" +
    '  printed claim by claim beside this one.\n' +
    "  Numbers: mean [95% t-interval over seeds], differences paired by seed, MIA values with their draws' interval, the\n" +
    '  retrain oracle beside them; verdicts on the means, and whether the intervals clear the same thresholds.',
  options: {
    profile: { type: 'string' },
    lambda: { type: 'string' },
    'near-chance': { type: 'string' },
    'modest-cost': { type: 'string' },
    json: { type: 'boolean' },
    'require-data': { type: 'boolean' },
    beside: { type: 'string' },
  },
  async run(v) {
    const profile = getProfile(typeof v.profile === 'string' ? v.profile : undefined).name;
    const options = {
      lambda: v.lambda === undefined ? undefined : numOpt(v.lambda, '--lambda', 0.4, { min: 0, max: 1 }),
      nearChance: numOpt(v['near-chance'], '--near-chance', 0.05, { min: 0 }),
      modestCost: numOpt(v['modest-cost'], '--modest-cost', 0.05, { min: 0 }),
    };
    const f = findings(readFindingInputs(profile), options);
    const dir = v.beside;
    if (dir !== undefined && (typeof dir !== 'string' || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()))
      throw new UsageError(
        `--beside: expected a folder holding another run's fig3-mia.csv, fig2-bias.csv and fig5-regions.csv, got '${String(dir)}'`,
      );
    const other = typeof dir === 'string' ? findings(readFindingInputs(profile, dir), options) : undefined;
    if (v.json) printJson({ profile, findings: f, ...(other ? { beside: { dir, findings: other } } : {}) });
    else if (other) console.log(findingsBesideMarkdown(f, other, { now: `results/${profile}`, beside: repoRelative(String(dir)) }));
    else console.log(findingsMarkdown(f));
    const missing = f.filter((x) => x.verdict === 'no data');
    if (v['require-data'] && missing.length)
      throw new UsageError(`--require-data: no data for claim ${missing.map((x) => `(${x.id}): ${x.evidence}`).join('; ')}`);
    return 0;
  },
};
