// Reads a figure's tidy rows back from results/<profile>/<figure>.csv (arquero), checking the columns, so
// analyses (findings, replots) start from the committed tables rather than from the store.
import * as fs from 'fs';
import * as aq from 'arquero';
import { DataError } from '../util/errors';
import { figurePaths } from './write';
import type { ResultRow } from './rows';
import type { FindingInputs } from './findings';
import { getProfile } from '../experiment/profiles';

const COLUMNS = ['dataset', 'arch', 'k', 'seed', 'goal', 'method', 'lambda', 'metric', 'value', 'hp', 'hash'] as const;

/**
 * Parses the CSV text of a figure's rows (λ empty = reference model; hp and hash kept as strings).
 * @example
 * const rows = parseResultRows(fs.readFileSync('results/cpu/fig1-privacy.csv', 'utf8'), 'fig1-privacy.csv');
 */
export function parseResultRows(text: string, file: string): ResultRow[] {
  const str = (v: string) => v;
  const num = (v: string) => (v === '' ? NaN : Number(v));
  const orNull = (v: string) => (v === '' ? null : Number(v));
  const t = aq.fromCSV(text, {
    autoType: false,
    parse: { k: num, seed: num, value: num, lambda: orNull, lo: orNull, hi: orNull, hp: str, hash: str },
  });
  const missing = COLUMNS.filter((c) => !t.columnNames().includes(c));
  if (missing.length)
    throw new DataError(file, `missing column(s) ${missing.join(', ')}; expected a results table with columns ${COLUMNS.join(', ')}`);
  const rows = t.objects() as unknown as ResultRow[];
  rows.forEach((r, i) => {
    if (!Number.isInteger(r.k) || !Number.isInteger(r.seed))
      throw new DataError(file, `row ${i + 2}: k and seed must be integers, got '${r.k}', '${r.seed}'`);
    if (r.lambda !== null && !Number.isFinite(r.lambda))
      throw new DataError(file, `row ${i + 2}: lambda must be empty (reference model) or a number`);
  });
  return rows;
}

/**
 * The rows of results/<profile>/<figure>.csv — the canonical table of the profile's default config, never an
 * exploration under results/<profile>/explore/ — or of `dir`/<figure>.csv (another run's tables, e.g. extracted from
 * git); a missing file names the notebook that writes it.
 * @example
 * const rows = readFigureRows('cpu', 'fig2-bias');
 */
export function readFigureRows(profile: string, figure: string, dir?: string): ResultRow[] {
  const file = figurePaths(profile, figure, dir).csv;
  if (!fs.existsSync(file))
    throw new DataError(file, `not found; run the figure's notebook (or \`npm run reproduce\`) at profile '${profile}' first`);
  return parseResultRows(fs.readFileSync(file, 'utf8'), file);
}

/**
 * The tables the four claims are checked on (lib/results/findings.ts): the privacy rows from fig3-mia (the same tuned
 * selections as fig1-privacy, plus the MIA metric that fig1's table leaves out), the bias rows from fig2-bias and the
 * region scores from fig5-regions, and the bias sweep (every grid point, for claim (c) re-tuned without the original's
 * peak learning rate) when its table is there. Notebook 06 and `unlearn findings` both read them here; `dir` reads another
 * run's copy of the profile's tables instead of results/<profile>/.
 * @example
 * const f = findings(readFindingInputs('cpu'));
 */
export function readFindingInputs(profile: string, dir?: string): FindingInputs {
  return {
    privacy: readFigureRows(profile, 'fig3-mia', dir),
    bias: readFigureRows(profile, 'fig2-bias', dir),
    regions: readFigureRows(profile, 'fig5-regions', dir),
    ...(fs.existsSync(figurePaths(profile, 'sweep-bias', dir).csv)
      ? { biasSweep: readFigureRows(profile, 'sweep-bias', dir), peakLr: getProfile(profile).original.lr }
      : {}),
  };
}
