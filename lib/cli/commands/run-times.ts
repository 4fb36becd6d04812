// `unlearn run-times store-count|record|show`: what scripts/reproduce.sh calls around a run of the notebooks to record
// their wall times (cold: empty store, warm: every model stored) in results/<profile>/run-times.json, and the record.
import * as fs from 'fs';
import type { Command } from '../command';
import { printJson } from '../command';
import { getProfile } from '../../experiment/profiles';
import { NOTEBOOK_IDS, readRunTimes, runTimeLine } from '../../experiment/run-times';
import { recordRunTimes, storeEntryCount } from '../../experiment/record-run-times';
import { readJsonIfExists } from '../../util/atomic';
import { DataError, UsageError } from '../../util/errors';

/** What scripts/run-notebooks.py --timings-json writes. */
interface NotebookTimings {
  notebooks: { path: string; seconds: number }[];
}

const usage = [
  'usage: unlearn run-times store-count',
  '         prints the number of finished store entries (0 = an empty store); reproduce.sh calls it before a run',
  '       unlearn run-times record --timings FILE --store-before N [--profile cpu] [--json]',
  '         records the wall times of scripts/run-notebooks.py --timings-json FILE in results/<profile>/run-times.json:',
  '         cold if the store was empty (N = 0), warm if the run added no store entry, else not recorded',
  '       unlearn run-times show [--profile cpu] [--json]',
].join('\n');

export const runTimes: Command = {
  summary: "record or show the notebooks' measured wall times (results/<profile>/run-times.json)",
  usage,
  options: { profile: { type: 'string' }, timings: { type: 'string' }, 'store-before': { type: 'string' }, json: { type: 'boolean' } },
  async run(v, pos) {
    const action = pos[0];
    const profile = getProfile(typeof v.profile === 'string' ? v.profile : undefined).name;
    if (action === 'store-count') {
      console.log(storeEntryCount());
      return 0;
    }
    if (action === 'record') {
      const file = v.timings;
      const before = Number(v['store-before']);
      if (typeof file !== 'string' || !fs.existsSync(file))
        throw new UsageError(`--timings FILE (written by run-notebooks.py --timings-json) is required\n${usage}`);
      if (!Number.isInteger(before) || before < 0)
        throw new UsageError(`--store-before must be the store entry count before the run, got '${String(v['store-before'])}'\n${usage}`);
      const timings = readJsonIfExists<NotebookTimings>(file);
      if (!timings || !Array.isArray(timings.notebooks)) throw new DataError(file, 'has no "notebooks" list of { path, seconds }');
      const seconds = Object.fromEntries(timings.notebooks.map((n) => [n.path, n.seconds]));
      const r = await recordRunTimes({ profile, seconds, storeBefore: before });
      if (v.json) printJson(r);
      else if (r.written) console.log(`run times: recorded ${r.notebooks.length} notebook(s) as ${r.state} in ${r.file}`);
      else
        console.log(
          `run times: not recorded (the store was partly filled before this run, so its times are neither cold nor warm; ${r.file} is unchanged)`,
        );
      return 0;
    }
    if (action === 'show') {
      if (v.json) printJson(readRunTimes(profile) ?? null);
      else for (const id of NOTEBOOK_IDS) console.log(`${id}: ${runTimeLine(profile, id)}`);
      return 0;
    }
    throw new UsageError(`expected 'store-count', 'record' or 'show', got '${action ?? ''}'\n${usage}`);
  },
};
