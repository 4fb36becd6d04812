// Measured wall times of each notebook per profile on the reference machine (2 CPU cores, onednn backend,
// 2 single-thread sweep workers), shown in the notebook headers and listed in environment.md.
import type { ProfileName } from './profiles';
import { formatDuration } from '../util/progress';

/** Notebook file names without extension. */
export type NotebookId = '00-setup' | '01-privacy' | '02-bias' | '03-mia' | '04-decision-regions' | '05-similarity' | '06-findings';

/** One notebook's wall time, in seconds, with an empty store (everything computed) and with every model stored. */
export interface RunTime { cold: number; warm: number }

/** Measurements of one profile: where, and per notebook. */
export interface ProfileRunTimes { machine: string; notebooks: Partial<Record<NotebookId, RunTime>> }

/**
 * Measured on 2 cores (Intel Xeon, AVX-512), onednn backend, 2026-11-26, notebooks in order 00 → 06 by
 * `npm run reproduce`. `cold` = from an empty store, so a notebook computes the models the earlier ones did not;
 * 01's cold time is estimated from its models' stored compute times (this run reused some from an earlier
 * session and took 23m23s), the rest are measured.
 */
export const runTimes: Partial<Record<ProfileName, ProfileRunTimes>> = {
  smoke: {
    machine: '2 CPU cores (onednn backend)',
    notebooks: {
      '00-setup': { cold: 19, warm: 15 },
      '01-privacy': { cold: 86, warm: 14 },
      '02-bias': { cold: 84, warm: 14 },
      '03-mia': { cold: 16, warm: 14 },
      '04-decision-regions': { cold: 17, warm: 13 },
      '05-similarity': { cold: 16, warm: 15 },
      '06-findings': { cold: 9, warm: 8 },
    },
  },
  cpu: {
    machine: '2 CPU cores (onednn backend, 2 sweep workers)',
    notebooks: {
      '00-setup': { cold: 19, warm: 12 },
      '01-privacy': { cold: 2040, warm: 14 },
      '02-bias': { cold: 2269, warm: 15 },
      '03-mia': { cold: 12, warm: 14 },
      '04-decision-regions': { cold: 20, warm: 14 },
      '05-similarity': { cold: 148, warm: 14 },
      '06-findings': { cold: 10, warm: 9 },
    },
  },
};

/**
 * One markdown line with a notebook's measured run time at a profile, or what is known instead.
 * @example
 * runTimeLine('cpu', '01-privacy'); // "**Run time** on 2 CPU cores (onednn): 35m10s with an empty store, 20s with its models already stored …"
 */
export function runTimeLine(profile: string, notebook: NotebookId): string {
  const p = runTimes[profile as ProfileName];
  const t = p?.notebooks[notebook];
  if (!p || !t) return `**Run time** at \`${profile}\`: not measured on the reference machine (see environment.md).`;
  return `**Run time** on ${p.machine}: ${formatDuration(t.cold)} with an empty store, ${formatDuration(t.warm)} with its models already stored (notebooks share models: the first one to need a model computes it).`;
}
