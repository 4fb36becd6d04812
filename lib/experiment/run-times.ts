// Measured wall times of the notebooks per profile, as `npm run reproduce` records them in
// results/<profile>/run-times.json (lib/experiment/record-run-times.ts), read for the notebook headers.
import * as fs from 'fs';
import * as path from 'path';
import { readJsonIfExists } from '../util/atomic';
import { DataError } from '../util/errors';
import { repoRoot, repoRelative, resultsRoot } from '../util/paths';
import { formatDuration } from '../util/progress';

/** The notebooks, in the order reproduce runs them (file names without extension). */
export const NOTEBOOK_IDS = ['00-setup', '01-privacy', '02-bias', '03-mia', '04-decision-regions', '05-similarity', '06-findings'] as const;

/** Notebook file names without extension. */
export type NotebookId = (typeof NOTEBOOK_IDS)[number];

/** One measured wall time, with what it was measured on. */
export interface RunTimeMeasurement {
  seconds: number;
  /** When it was measured (ISO date or date-time). */
  date: string;
  /** The machine as the header shows it, e.g. '2 CPU cores (Intel Xeon …), onednn backend, 2 sweep workers'. */
  machine: string;
  /** The compute backend (lib/backend/select.ts choice), e.g. 'onednn'. */
  backend: string;
  /** Kernel threads of the notebook process (UNLEARN_THREADS or its default). */
  threads: number;
  /** Sweep worker processes (UNLEARN_WORKERS or its default). */
  workers: number;
  /** Where the number comes from, when it was not recorded by a reproduce run as is. */
  provenance?: string;
}

/** A notebook's (or the whole run's) time from an empty store (`cold`: it computes what earlier notebooks did not) and with every model stored (`warm`). */
export interface ColdWarm {
  cold?: RunTimeMeasurement;
  warm?: RunTimeMeasurement;
}

/** `results/<profile>/run-times.json`. */
export interface RunTimesFile {
  format: typeof RUN_TIMES_FORMAT;
  profile: string;
  /** All notebooks in order (00 → 06), as one reproduce run. */
  all: ColdWarm;
  notebooks: Partial<Record<NotebookId, ColdWarm>>;
}

/** Format tag of run-times.json. */
export const RUN_TIMES_FORMAT = 'run-times/1';

/**
 * Where a profile's run times are written: `<results root>/<profile>/run-times.json` (UNLEARN_RESULTS moves it).
 * @example
 * runTimesPath('cpu'); // '<repo>/results/cpu/run-times.json'
 */
export function runTimesPath(profile: string, root = resultsRoot()): string {
  return path.join(root, profile, 'run-times.json');
}

/**
 * A profile's recorded run times, or undefined if none were recorded. Reads `<results root>/<profile>/run-times.json`,
 * else the repository's `results/<profile>/run-times.json` (so notebooks run with a temporary UNLEARN_RESULTS still
 * show the reference measurements). A file of another format is a DataError naming it.
 * @example
 * readRunTimes('cpu')?.notebooks['01-privacy']?.cold?.seconds; // 2040
 */
export function readRunTimes(profile: string, root = resultsRoot()): RunTimesFile | undefined {
  const candidates = [runTimesPath(profile, root), runTimesPath(profile, path.join(repoRoot(), 'results'))];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const data = readJsonIfExists<RunTimesFile>(file);
  if (data?.format !== RUN_TIMES_FORMAT || typeof data.notebooks !== 'object') {
    throw new DataError(file, `is not a '${RUN_TIMES_FORMAT}' file; delete it and run \`npm run reproduce\` to measure again`);
  }
  return data;
}

/**
 * One markdown line with a notebook's measured run time at a profile, or what is known instead.
 * @example
 * runTimeLine('cpu', '01-privacy'); // "**Run time** on 2 CPU cores (onednn backend, 2 sweep workers): 34m00s with an empty store, 14s with its models already stored …"
 */
export function runTimeLine(profile: string, notebook: NotebookId): string {
  let t: ColdWarm | undefined;
  try {
    t = readRunTimes(profile)?.notebooks[notebook];
  } catch (e) {
    return `**Run time** at \`${profile}\`: unknown (${(e as Error).message}).`;
  }
  const where = repoRelative(runTimesPath(profile));
  if (!t?.cold && !t?.warm) {
    return `**Run time** at \`${profile}\`: not measured yet (\`npm run reproduce\` records it in ${where}; see environment.md).`;
  }
  const machine = (t.cold ?? t.warm)!.machine;
  const cold = t.cold ? formatDuration(t.cold.seconds) : 'not measured yet';
  const warm = t.warm ? formatDuration(t.warm.seconds) : 'not measured yet';
  return `**Run time** on ${machine}: ${cold} with an empty store, ${warm} with its models already stored (notebooks share models: the first one to need a model computes it).`;
}
