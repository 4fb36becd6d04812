// Writes a figure's tidy rows to results/<profile>/<figure>.csv (arquero) and its full config to
// results/<profile>/<figure>.json, atomically.
import * as path from 'path';
import * as aq from 'arquero';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic';
import { resultsRoot } from '../util/paths';
import type { ResultRow } from './rows';
import type { PlotlyFigure } from '../plot/figure';
import { savePng } from '../plot/render-png';

/** Where a figure's results go. */
export function figurePaths(profile: string, figure: string): { csv: string; json: string; png: string } {
  const dir = path.join(resultsRoot(), profile);
  return { csv: path.join(dir, `${figure}.csv`), json: path.join(dir, `${figure}.json`), png: path.join(dir, 'figures', `${figure}.png`) };
}

/**
 * Saves rows and config; returns the paths written.
 * @example
 * writeFigureResults('cpu', 'fig1-privacy', rows, { profile, goal: 'privacy' });
 */
export function writeFigureResults(profile: string, figure: string, rows: readonly ResultRow[], config: unknown): { csv: string; json: string } {
  const p = figurePaths(profile, figure);
  const csv = rows.length ? aq.from(rows as ResultRow[]).toCSV() : 'dataset,arch,k,seed,goal,method,lambda,metric,value,hp,hash\n';
  writeFileAtomic(p.csv, csv.endsWith('\n') ? csv : csv + '\n');
  writeJsonAtomic(p.json, { figure, profile, rows: rows.length, createdAt: new Date().toISOString(), config });
  return { csv: p.csv, json: p.json };
}

/**
 * Saves a figure as a static PNG under results/<profile>/figures/<figure>.png (headless Chromium).
 * @example
 * await saveFigurePng('cpu', 'fig1-privacy', fig);
 */
export async function saveFigurePng(profile: string, figure: string, fig: PlotlyFigure): Promise<string> {
  return savePng(fig, figurePaths(profile, figure).png);
}
