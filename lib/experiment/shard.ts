// Shards of a sweep for job arrays (SLURM): a deterministic, even split of the sweep's models over N tasks —
// originals dealt round-robin first, then every grid point round-robin — so each task trains about as many
// originals and as many unlearning runs as any other, and together they cover every model once.
import { UsageError } from '../util/errors';

/** Task `index` (0-based) of `count` tasks. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The units of shard `s`, in their original order.
 * @example
 * shardUnits(units, { index: 0, count: 2 }); // originals 0, 2, 4…, then grid points 0, 2, 4…
 */
export function shardUnits<U extends { method: string }>(units: readonly U[], s: Shard): U[] {
  const originals = units.filter((u) => u.method === 'original');
  const points = units.filter((u) => u.method !== 'original');
  const mine = new Set<U>([...originals.filter((_, i) => i % s.count === s.index), ...points.filter((_, i) => i % s.count === s.index)]);
  return units.filter((u) => mine.has(u));
}

/**
 * Parses `I/N` (0 ≤ I < N); without a value, the SLURM job-array variables (SLURM_ARRAY_TASK_ID minus
 * SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT); undefined when neither is given.
 * @example
 * parseShard('1/4'); // { index: 1, count: 4 }
 */
export function parseShard(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  if (value === undefined) {
    if (!env.SLURM_ARRAY_TASK_COUNT) return undefined;
    const id = Number(env.SLURM_ARRAY_TASK_ID),
      min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0),
      count = Number(env.SLURM_ARRAY_TASK_COUNT);
    return checked(
      { index: id - min, count },
      `SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID} (min ${env.SLURM_ARRAY_TASK_MIN ?? 0}) of SLURM_ARRAY_TASK_COUNT=${count}; an array must be contiguous, e.g. --array=0-3`,
    );
  }
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new UsageError(`--shard expects I/N with 0 ≤ I < N (e.g. --shard 0/4), got '${value}'`);
  return checked({ index: Number(m[1]), count: Number(m[2]) }, `--shard ${value}`);
}

function checked(s: Shard, what: string): Shard {
  if (!Number.isInteger(s.index) || !Number.isInteger(s.count) || s.count < 1 || s.index < 0 || s.index >= s.count) {
    throw new UsageError(
      `${what}: the shard index must be in 0…${Number.isInteger(s.count) && s.count > 0 ? s.count - 1 : 'N−1'} of N ≥ 1 tasks`,
    );
  }
  return s;
}
