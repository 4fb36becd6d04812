// Runs the cells (width × seed) of a sweep in parallel child processes — `unlearn sweep` slices sharing one
// store — so a single-threaded backend (wasm) uses every core; progress from all workers is merged into
// one display. Measured (shared notes): independent wasm trainings scale almost linearly on 2 cores.
import { spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import type { Profile } from './profiles';
import type { UnlearningGoal } from '../data/splits';
import type { MethodName } from '../unlearn/registry';
import type { GridOverrides } from '../unlearn/grids';
import type { ProgressSink, ProgressState } from '../util/progress';
import { repoRoot } from '../util/paths';
import { writeJsonAtomic } from '../util/atomic';
import { backendInfo } from '../backend/select';
import { currentToken, throwIfCancelled, CancelledError } from '../util/cancel';

/**
 * Worker processes to use: UNLEARN_WORKERS, else one per core on the CPU backends (wasm and cpu are
 * single-threaded; oneDNN workers each run one thread, which beats one two-thread process), else 1 (GPU,
 * multi-threaded libtensorflow).
 */
export function defaultWorkers(): number {
  const env = Number(process.env.UNLEARN_WORKERS);
  if (Number.isInteger(env) && env >= 1) return env;
  const b = backendInfo()?.choice;
  return b === 'wasm' || b === 'cpu' || b === 'onednn' ? os.cpus().length : 1;
}

/** One cell of a sweep. */
export interface SweepCell {
  k: number;
  seed: number;
}

/** What the workers run. */
export interface WorkerSweep {
  profile: Profile;
  goal: UnlearningGoal;
  cells: SweepCell[];
  methods?: MethodName[];
  grids?: GridOverrides;
  workers: number;
  progress?: ProgressSink;
}

/** Prefix of the progress lines a worker writes to stderr (`unlearn sweep --progress-json`). */
export const PROGRESS_PREFIX = '@@progress ';

/**
 * The order the workers take cells in: widest first (a cell's cost grows with k; at `cpu` a k = 4 cell costs
 * about 3× a k = 1 cell), seeds in order — longest-processing-time-first, so the last cells, which may run while
 * the other workers idle, are the cheap narrow ones instead of a wide one on a single core.
 * @example
 * cellOrder([{ k: 1, seed: 0 }, { k: 4, seed: 0 }, { k: 1, seed: 1 }]); // k=4 seed 0, k=1 seed 0, k=1 seed 1
 */
export function cellOrder(cells: readonly SweepCell[]): SweepCell[] {
  return cells.slice().sort((a, b) => b.k - a.k || a.seed - b.seed);
}

/**
 * Runs every cell in its own `unlearn sweep` process, `workers` at a time (widest first, cellOrder); resolves when all finished.
 * @example
 * await runCellsInWorkers({ profile, goal: 'privacy', cells: [{ k: 1, seed: 0 }, { k: 8, seed: 0 }], workers: 2 });
 */
export async function runCellsInWorkers(o: WorkerSweep): Promise<void> {
  const profileFile = path.join(os.tmpdir(), `unlearn-profile-${process.pid}-${Date.now()}.json`);
  writeJsonAtomic(profileFile, { ...o.profile, gridOverrides: o.grids });
  const queue = cellOrder(o.cells);
  const status = new Map<number, string>();
  let finished = 0;
  const report = () =>
    o.progress?.update({
      label: `sweep ${o.profile.name}/${o.goal}: ${finished}/${o.cells.length} cells done (${o.workers} workers)`,
      step: finished,
      total: o.cells.length,
      extra: Object.fromEntries([...status.entries()].map(([w, s]) => [`w${w}`, s])),
    });
  const worker = async (w: number): Promise<void> => {
    for (let cell = queue.shift(); cell && !currentToken().cancelled; cell = queue.shift()) {
      await runCell(o, cell, profileFile, (s) => {
        status.set(w, describe(cell as SweepCell, s));
        report();
      });
      finished++;
      status.delete(w);
      report();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.workers, o.cells.length) }, (_, i) => worker(i + 1)));
    throwIfCancelled();
  } finally {
    fs.rmSync(profileFile, { force: true });
  }
}

function describe(cell: SweepCell, s: ProgressState): string {
  const pct = s.total ? ` ${Math.round((100 * s.step) / s.total)}%` : '';
  return `k=${cell.k} seed=${cell.seed} ${s.label ?? ''}${pct}${s.loss !== undefined ? ` loss ${s.loss.toFixed(3)}` : ''}`;
}

function runCell(o: WorkerSweep, cell: SweepCell, profileFile: string, onProgress: (s: ProgressState) => void): Promise<void> {
  const args = [
    path.join(repoRoot(), 'bin', 'unlearn.js'),
    'sweep',
    '--profile-file',
    profileFile,
    '--goal',
    o.goal,
    '--k',
    String(cell.k),
    '--seed',
    String(cell.seed),
    '--progress-json',
    ...(o.methods ? ['--methods', o.methods.join(',')] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, UNLEARN_WORKERS: '1', UNLEARN_THREADS: process.env.UNLEARN_THREADS ?? '1', SLURM_ARRAY_TASK_COUNT: '' },
    });
    // An interrupt (lib/util/cancel.ts) terminates the worker; what it stored so far stays in the store.
    const stopOnCancel = currentToken().onCancel(() => child.kill('SIGTERM'));
    let tail = '';
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith(PROGRESS_PREFIX)) {
          try {
            onProgress(JSON.parse(line.slice(PROGRESS_PREFIX.length)) as ProgressState);
          } catch {
            /* partial line */
          }
        } else {
          tail = (tail + line + '\n').slice(-4000);
        }
      }
    });
    child.on('error', (e) => {
      stopOnCancel();
      reject(e);
    });
    child.on('close', (code, signal) => {
      stopOnCancel();
      if (code === 0) resolve();
      // Jupyter sends Kernel > Interrupt to the kernel's whole process group, so a worker may die of SIGINT itself.
      else if (currentToken().cancelled || signal === 'SIGINT')
        reject(new CancelledError(`worker for k=${cell.k} seed=${cell.seed} stopped (${currentToken().reason ?? signal})`));
      else reject(new Error(`worker for k=${cell.k} seed=${cell.seed} exited with code ${code}:\n${tail}`));
    });
  });
}

/** A sink that writes each update as one JSON line on stderr (what a worker sends its parent). */
export function jsonLineProgress(): ProgressSink {
  let last = 0;
  return {
    update(s) {
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      process.stderr.write(PROGRESS_PREFIX + JSON.stringify(s) + '\n');
    },
    done() {},
  };
}
