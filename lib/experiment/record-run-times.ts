// Records the wall times of one reproduce run (scripts/reproduce.sh) in results/<profile>/run-times.json: as cold
// times when the run started from an empty store, as warm times when it computed nothing, with the machine, backend,
// threads and date; written atomically, keeping the other measurements of the file.
import * as fs from 'fs';
import * as os from 'os';
import { ensureBackend } from '../backend/select';
import { threadCount } from '../backend/native/threads';
import { listEntries } from '../store/store';
import { writeJsonAtomic } from '../util/atomic';
import { UsageError } from '../util/errors';
import { resultsRoot, storeRoot } from '../util/paths';
import { defaultWorkers } from './workers';
import {
  NOTEBOOK_IDS,
  readRunTimes,
  RUN_TIMES_FORMAT,
  runTimesPath,
  type NotebookId,
  type RunTimeMeasurement,
  type RunTimesFile,
} from './run-times';

/** What a measurement was taken on (every field of a RunTimeMeasurement but the seconds). */
export type MeasurementFacts = Omit<RunTimeMeasurement, 'seconds'>;

/**
 * Finished entries in the store, of every kind and compute identity (0 = an empty store), or of the named kinds
 * only (e.g. the trained models: `['original', 'unlearn']`). Counts entry folders by name only, without reading them.
 * @example
 * storeEntryCount(); // 0 before the first notebook ever ran
 * storeEntryCount(storeRoot(), ['original', 'unlearn']); // the models trained so far
 */
export function storeEntryCount(root = storeRoot(), kinds?: readonly string[]): number {
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const kind of fs.readdirSync(root, { withFileTypes: true })) {
    if (kind.isDirectory() && (!kinds || kinds.includes(kind.name)))
      listEntries(kind.name, root, () => {
        n++;
        return false;
      });
  }
  return n;
}

/**
 * This machine as the notebooks run on it now: CPU count and model, backend (selected if not yet), kernel threads,
 * sweep workers, today's date.
 * @example
 * (await machineFacts()).machine; // '2 CPU cores (Intel(R) Xeon(R) …), onednn backend, 2 sweep workers'
 */
export async function machineFacts(date = new Date()): Promise<MeasurementFacts> {
  const backend = (await ensureBackend()).choice;
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim();
  const workers = defaultWorkers();
  return {
    date: date.toISOString(),
    machine: `${cpus.length} CPU cores${model ? ` (${model})` : ''}, ${backend} backend, ${workers} sweep worker${workers === 1 ? '' : 's'}`,
    backend,
    threads: threadCount(),
    workers,
  };
}

/** Options of recordRunTimes. */
export interface RecordRunTimesOptions {
  profile: string;
  /** Wall seconds of each notebook of the run (names as NOTEBOOK_IDS, or notebook paths). */
  seconds: Record<string, number>;
  /** storeEntryCount() before the run: 0 makes it a cold run. */
  storeBefore: number;
  /** storeEntryCount() after the run (default: counted now); equal to storeBefore makes it a warm run. */
  storeAfter?: number;
  /** What it ran on (default machineFacts()). */
  facts?: MeasurementFacts;
  /** Results root (default resultsRoot()). */
  root?: string;
}

/** What recordRunTimes did: the run's kind, the file, and whether it was written (a partial run is not recorded). */
export interface RecordedRunTimes {
  state: 'cold' | 'warm' | 'partial';
  file: string;
  written: boolean;
  notebooks: NotebookId[];
}

/** '01-privacy' from '01-privacy', 'notebooks/01-privacy.ipynb' or a full path; a UsageError for other names. */
function notebookId(name: string): NotebookId {
  const id = name.replace(/^.*\//, '').replace(/\.ipynb$/, '');
  if (!(NOTEBOOK_IDS as readonly string[]).includes(id)) {
    throw new UsageError(`'${name}' is not a notebook of this project; expected one of: ${NOTEBOOK_IDS.join(', ')}`);
  }
  return id as NotebookId;
}

/**
 * Records one reproduce run. Cold (store empty before it) or warm (no store entry added) measurements replace the
 * earlier ones of the same kind, per notebook and for the whole run; a run over a partly filled store that computed
 * something is neither and is not recorded. The file is written atomically.
 * @example
 * const before = storeEntryCount();
 * // … run the notebooks …
 * await recordRunTimes({ profile: 'cpu', seconds: { '00-setup': 19, '01-privacy': 2040 }, storeBefore: before });
 */
export async function recordRunTimes(o: RecordRunTimesOptions): Promise<RecordedRunTimes> {
  const root = o.root ?? resultsRoot();
  const file = runTimesPath(o.profile, root);
  const times = Object.entries(o.seconds).map(([name, s]) => [notebookId(name), s] as const);
  for (const [id, s] of times) if (!(s >= 0)) throw new UsageError(`${id}: wall time ${s} is not a number of seconds`);
  const after = o.storeAfter ?? storeEntryCount();
  const state = o.storeBefore === 0 ? 'cold' : after === o.storeBefore ? 'warm' : 'partial';
  const notebooks = times.map(([id]) => id);
  if (state === 'partial' || times.length === 0) return { state, file, written: false, notebooks };
  const facts = o.facts ?? (await machineFacts());
  const own = fs.existsSync(file) ? readRunTimes(o.profile, root) : undefined; // never the repository's fallback copy
  const data: RunTimesFile = own ?? { format: RUN_TIMES_FORMAT, profile: o.profile, all: {}, notebooks: {} };
  for (const [id, seconds] of times) data.notebooks[id] = { ...data.notebooks[id], [state]: { seconds, ...facts } };
  const total = times.reduce((s, [, t]) => s + t, 0);
  if (times.length === NOTEBOOK_IDS.length) data.all = { ...data.all, [state]: { seconds: total, ...facts } };
  writeJsonAtomic(file, data);
  return { state, file, written: true, notebooks };
}
