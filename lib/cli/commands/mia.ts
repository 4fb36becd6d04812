// `unlearn mia`: the paper's loss-based membership-inference attack (appendix B.1) on two JSON arrays of
// per-example losses (members, non-members): stratified k-fold logistic-regression accuracies and their mean.
import * as fs from 'fs';
import type { Command } from '../command';
import { intOpt, printJson } from '../command';
import { DataError, UsageError } from '../../util/errors';
import { miaAccuracy } from '../../metrics/mia';

/** Reads a JSON array of finite numbers; a missing file is a usage error, bad contents a data error. */
function readLosses(file: unknown, flag: string): number[] {
  if (typeof file !== 'string' || file === '')
    throw new UsageError(`${flag} <file.json> is required (a JSON array of per-example losses)\n\n${mia.usage}`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DataError(file, `not valid JSON (${(e as Error).message}); expected an array of numbers such as [0.12, 2.3]`);
  }
  if (!Array.isArray(value)) throw new DataError(file, `expected a JSON array of numbers, got ${value === null ? 'null' : typeof value}`);
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new DataError(file, `element ${i} is ${JSON.stringify(v)}; expected a finite number`);
  });
  return value as number[];
}

export const mia: Command = {
  summary: 'membership-inference attack (logistic regression on losses, k-fold CV)',
  usage:
    'usage: unlearn mia --members m.json --nonmembers n.json [--folds 5] [--seed 0] [--json]\n' +
    '  m.json, n.json: JSON arrays of per-example losses (members = forget set, non-members = held-out).\n' +
    '  The larger set is subsampled (seeded) to the size of the smaller. Accuracy 0.5 = chance = best privacy.',
  options: {
    members: { type: 'string' },
    nonmembers: { type: 'string' },
    folds: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v) {
    const members = readLosses(v.members, '--members');
    const nonmembers = readLosses(v.nonmembers, '--nonmembers');
    const folds = intOpt(v.folds, '--folds', 5),
      seed = intOpt(v.seed, '--seed', 0, { min: 0 });
    if (folds < 2) throw new UsageError(`--folds must be >= 2, got ${folds}`);
    const k = Math.min(members.length, nonmembers.length);
    if (k < folds) {
      const which = members.length < nonmembers.length ? `${v.members} has ${members.length}` : `${v.nonmembers} has ${nonmembers.length}`;
      throw new UsageError(`${folds}-fold cross-validation needs at least ${folds} losses in each file; ${which}`);
    }
    const r = miaAccuracy(members, nonmembers, { folds, seed });
    if (v.json) {
      printJson({ ...r, seed });
    } else {
      console.log(
        `members ${r.nMembers} of ${members.length}, non-members ${r.nNonmembers} of ${nonmembers.length} (seed ${seed}); ${folds}-fold stratified CV`,
      );
      r.foldAccuracies.forEach((a, i) => console.log(`  fold ${i}: ${a.toFixed(4)}`));
      console.log(`MIA accuracy (mean over folds): ${r.accuracy.toFixed(4)}   (0.5 = chance = best privacy)`);
    }
    return 0;
  },
};
