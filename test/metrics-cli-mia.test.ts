// `unlearn mia`: JSON loss files in, fold accuracies and mean out (scikit-learn numbers), and its errors
// (missing file → UsageError, exit 2; bad contents → DataError naming the file, exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from '../lib/cli/command';
import { mia } from '../lib/cli/commands/mia';
import { DataError, UsageError } from '../lib/util/errors';

const MEM = [
  0.0318, 0.6055, 0.2308, 0.5142, 1.5265, 0.3093, 0.2782, 0.0299, 0.125, 0.2772, 0.4548, 0.6513, 0.1918, 0.0273, 0.136, 0.9614, 0.096,
  0.2407, 1.0707, 0.0101, 0.3671, 1.1993, 0.1047,
];
const NON = [
  0.9542, 2.878, 0.1715, 0.8893, 1.6655, 1.3268, 0.7568, 0.2751, 0.8098, 0.559, 0.7787, 0.5466, 2.1836, 1.7566, 0.4522, 1.0201, 0.3876,
  0.7236, 0.5225, 1.2854, 0.5551, 0.7374, 1.5247,
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-mia-'));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** Runs the command as the CLI would and captures stdout. */
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const { values, positionals } = parse(mia, argv);
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as typeof process.stdout.write;
  const log = console.log;
  console.log = (...a: unknown[]) => {
    out += a.join(' ') + '\n';
  };
  try {
    return { code: await mia.run(values, positionals), out };
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
}

test('unlearn mia --json prints the fold accuracies and mean of StratifiedKFold(5) + LogisticRegression()', async () => {
  const m = file('m.json', JSON.stringify(MEM)),
    n = file('n.json', JSON.stringify(NON));
  const { code, out } = await run(['--members', m, '--nonmembers', n, '--json']);
  assert.equal(code, 0);
  const r = JSON.parse(out) as { accuracy: number; foldAccuracies: number[]; nMembers: number; folds: number };
  assert.ok(Math.abs(r.accuracy - 0.7155555555555555) < 1e-12, String(r.accuracy));
  assert.equal(r.foldAccuracies.length, 5);
  assert.ok(Math.abs(r.foldAccuracies[0] - 0.8) < 1e-12);
  assert.equal(r.nMembers, 23);
  const text = await run(['--members', m, '--nonmembers', n, '--folds', '3']);
  assert.match(text.out, /fold 2: /);
  assert.doesNotMatch(text.out, /fold 3: /);
  assert.match(text.out, /MIA accuracy \(mean over folds\): 0\.\d{4}/);
});

test('unlearn mia: missing file / flag → UsageError; bad contents → DataError naming the file', async () => {
  const n = file('n2.json', JSON.stringify(NON));
  await assert.rejects(run(['--nonmembers', n]), (e: Error) => e instanceof UsageError && /--members/.test(e.message));
  await assert.rejects(
    run(['--members', path.join(dir, 'nope.json'), '--nonmembers', n]),
    (e: Error) => e instanceof UsageError && /nope\.json/.test(e.message),
  );
  const bad = file('bad.json', '[0.1, 0.2,');
  await assert.rejects(
    run(['--members', bad, '--nonmembers', n]),
    (e: Error) => e instanceof DataError && e.message.startsWith(bad) && /JSON/.test(e.message),
  );
  const obj = file('obj.json', '{"losses": [1, 2]}');
  await assert.rejects(
    run(['--members', obj, '--nonmembers', n]),
    (e: Error) => e instanceof DataError && /obj\.json: expected a JSON array/.test(e.message),
  );
  const str = file('str.json', '[0.5, "x", 1]');
  await assert.rejects(run(['--members', str, '--nonmembers', n]), (e: Error) => e instanceof DataError && /element 1/.test(e.message));
  const few = file('few.json', '[0.1, 0.2]');
  await assert.rejects(
    run(['--members', few, '--nonmembers', n]),
    (e: Error) => e instanceof UsageError && /few\.json has 2/.test(e.message),
  );
  await assert.rejects(run(['--members', n, '--nonmembers', n, '--folds', 'x']), UsageError);
});
