// Writes a figure's tidy rows to results/<profile>/<figure>.csv (arquero) and its full config to
// results/<profile>/<figure>.json, atomically (an exploration writes the same names under its own folder).
import * as path from 'path';
import * as aq from 'arquero';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic';
import { resultsRoot } from '../util/paths';
import type { ResultRow } from './rows';
import type { PlotlyFigure } from '../plot/figure';

/**
 * Where a figure's results go: results/<profile>/ (canonical), or `dir` (an exploration's folder, lib/results/location.ts).
 * @example
 * figurePaths('cpu', 'fig1-privacy').csv; // …/results/cpu/fig1-privacy.csv
 */
export function figurePaths(
  profile: string,
  figure: string,
  dir = path.join(resultsRoot(), profile),
): { csv: string; json: string; png: string } {
  return { csv: path.join(dir, `${figure}.csv`), json: path.join(dir, `${figure}.json`), png: path.join(dir, 'figures', `${figure}.png`) };
}

/**
 * Saves rows and config; returns the paths written.
 * @example
 * writeFigureResults('cpu', 'fig1-privacy', rows, { profile, goal: 'privacy' });
 */
export function writeFigureResults(
  profile: string,
  figure: string,
  rows: readonly ResultRow[],
  config: unknown,
  dir?: string,
): { csv: string; json: string } {
  const p = figurePaths(profile, figure, dir);
  const csv = rows.length ? aq.from(rows as ResultRow[]).toCSV() : 'dataset,arch,k,seed,goal,method,lambda,metric,value,lo,hi,hp,hash\n';
  writeFileAtomic(p.csv, csv.endsWith('\n') ? csv : csv + '\n');
  writeJsonAtomic(p.json, { figure, profile, rows: rows.length, createdAt: new Date().toISOString(), config });
  return { csv: p.csv, json: p.json };
}

/**
 * Saves a figure as a static PNG under <dir>/figures/<figure>.png (headless Chromium); `dir` defaults to
 * results/<profile>/ — pass a run's `files.dir` so an exploration never overwrites the canonical image.
 * The renderer (sharp, playwright) is loaded on the first call, so writing tables alone never loads it.
 * @example
 * await saveFigurePng('cpu', 'fig1-privacy', fig, run.files.dir);
 */
export async function saveFigurePng(profile: string, figure: string, fig: PlotlyFigure, dir?: string): Promise<string> {
  const { savePng } = await import('../plot/render-png');
  return savePng(fig, figurePaths(profile, figure, dir).png);
}
