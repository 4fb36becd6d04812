// Threads of the onednn backend and libgomp's wait policy for them (GNU libgomp manual, OMP_WAIT_POLICY and
// GOMP_SPINCOUNT), decided before the addon loads libgomp. Measurements behind the defaults: environment.md.
import { availableParallelism } from 'os';
import { UsageError } from '../../util/errors';

/** Most threads one process uses by default (oneDNN's small convolutions stop scaling beyond a few). */
const MAX_DEFAULT_THREADS = 8;

/**
 * Threads for the native kernels: UNLEARN_THREADS, default the machine's cores (at most 8) for one process —
 * the CLI and notebooks, which train one model at a time; sweep workers get 1 each (lib/experiment/workers.ts).
 * Results do not depend on it (fixed reduction partitions and filter-gradient chunks), so it is no part of the
 * store key.
 */
export function threadCount(): number {
  const v = process.env.UNLEARN_THREADS?.trim();
  if (v) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`UNLEARN_THREADS='${v}' is not a positive integer`);
    return n;
  }
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, availableParallelism()));
}

/**
 * Spin iterations of an idle OpenMP thread before it sleeps, for a process with more than one thread. A short
 * spin covers the JavaScript between two kernels (a sleeping thread takes longer to wake than the kernel it
 * joins): 2 threads at k = 8 went from no gain over 1 thread (passive) to 1.1–1.35×. Longer spins are
 * ruinous when processes oversubscribe the cores (two 2-thread trainings on 2 cores: 10,000 → 2.2× slower
 * than passive, 100,000 → 9×), so it stays short; OMP_WAIT_POLICY=passive turns it off.
 */
const SPIN_COUNT = '10000';

/**
 * Sets libgomp's wait policy unless the user did (OMP_WAIT_POLICY or GOMP_SPINCOUNT): threads sleep at once in
 * a single-thread process (sweep workers), spin briefly in a multi-threaded one. Must run before libgomp loads.
 */
export function chooseWaitPolicy(): void {
  if (process.env.OMP_WAIT_POLICY !== undefined || process.env.GOMP_SPINCOUNT !== undefined) return;
  let threads = 1;
  try {
    threads = threadCount();
  } catch {
    // a bad UNLEARN_THREADS is reported where the backend is registered
  }
  if (threads > 1) process.env.GOMP_SPINCOUNT = SPIN_COUNT;
  else process.env.OMP_WAIT_POLICY = 'passive';
}
