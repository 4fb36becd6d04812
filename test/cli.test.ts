// The `unlearn` binary: machine-readable output, and bad arguments → a clear message and exit code 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { profiles } from '../lib/experiment/profiles';

const bin = path.join(__dirname, '..', 'bin', 'unlearn.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, UNLEARN_BACKEND: 'cpu' } });

test('params --json prints the reference ResNet-18k counts', () => {
  const r = run('params', '--arch', 'resnet18k', '--k', '4,8,16,32,64', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    JSON.parse(r.stdout).map((x: { params: number }) => x.params),
    [44510, 176178, 701018, 2796714, 11172170],
  );
});

test('bad arguments exit with code 2 and say what is expected', () => {
  const cases: [string[], RegExp][] = [
    [['nope'], /unknown command 'nope'; expected one of: info, params/],
    [['params', '--arch', 'resnet'], /unknown architecture 'resnet'; expected one of: resnet18k, allcnn, cnn4/],
    [['params', '--k', '4,x'], /--k: 'x' is not a positive integer/],
    [['params', '--bogus'], /unknown option '--bogus'\nvalid options: --arch, --k/],
    [['sweep', '--methds', 'scrub'], /unknown option '--methds'; did you mean --methods\?/],
    [
      ['unlearn', '--method', 'forgetIt', '--profile', 'smoke'],
      /unknown unlearning method 'forgetIt'; expected one of: retrain, finetune, gradAscent/,
    ],
    [
      ['unlearn', '--method', 'scrub', '--hp', 'speed=2', '--profile', 'smoke'],
      /scrub has no hyperparameter 'speed'; expected: lr, epochs, msteps, T, gamma, alpha/,
    ],
    [['sweep', '--profile', 'huge'], new RegExp(`unknown profile 'huge'; expected one of: ${Object.keys(profiles).join(', ')}`)],
    [['train', '--goal', 'fairness'], /--goal must be 'privacy' or 'bias'/],
  ];
  for (const [args, msg] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
});

test('info --json names the backend and versions', () => {
  const r = run('info', '--json');
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.backend.choice, 'cpu');
  assert.equal(info.backend.forced, true);
  assert.equal(info.backend.versions['@tensorflow/tfjs-core'], '4.22.0');
});

test('findings: a profile without result tables names the missing file and how to make it', () => {
  const r = run('findings', '--profile', 'paper');
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr,
    /results\/paper\/fig3-mia\.csv: not found; run the figure's notebook \(or `npm run reproduce`\) at profile 'paper'/,
  );
  assert.equal(run('findings', '--lambda', 'high').status, 2);
});

test('findings --require-data: the MIA comes from fig3-mia.csv; a table without it is an error naming the claim', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'findings-cli-'));
  fs.mkdirSync(path.join(dir, 'smoke'));
  const header = 'dataset,arch,k,seed,goal,method,lambda,metric,value,lo,hi,hp,hash';
  const row = (k: number, seed: number, metric: string, value: number) =>
    `cifar10,cnn4,${k},${seed},privacy,original,,${metric},${value},,,{},h${k}${seed}`;
  const write = (figure: string, lines: string[]) =>
    fs.writeFileSync(path.join(dir, 'smoke', `${figure}.csv`), [header, ...lines].join('\n') + '\n');
  const withMia = [2, 8].flatMap((k) =>
    [0, 1].flatMap((s) => [row(k, s, 'testError', 0.5), row(k, s, 'mia', k === 2 ? 0.55 : 0.7 + s / 100)]),
  );
  write('fig2-bias', []);
  write('fig5-regions', []);
  const env = { ...process.env, UNLEARN_RESULTS: dir };
  const go = () =>
    spawnSync(process.execPath, [bin, 'findings', '--profile', 'smoke', '--require-data', '--json'], { encoding: 'utf8', env });
  write('fig3-mia', withMia);
  let r = go();
  assert.equal(r.status, 2, r.stderr); // (c) and (d) have no rows here
  assert.equal(JSON.parse(r.stdout).findings[0].verdict, 'supported', 'claim (a) reads the MIA rows of fig3-mia.csv');
  assert.doesNotMatch(r.stderr, /claim \(a\)/);
  assert.match(r.stderr, /--require-data: no data for claim \(b\)[^]*\(c\)[^]*\(d\)/);
  // --beside: another run's copy of the tables, claim by claim beside this run's (here: one without the MIA rows).
  const prev = path.join(dir, 'prev');
  fs.mkdirSync(prev);
  for (const f of ['fig2-bias', 'fig5-regions']) fs.copyFileSync(path.join(dir, 'smoke', `${f}.csv`), path.join(prev, `${f}.csv`));
  const noMia = withMia.filter((l) => !l.includes(',mia,'));
  fs.writeFileSync(path.join(prev, 'fig3-mia.csv'), [header, ...noMia].join('\n') + '\n');
  const beside = (d: string) =>
    spawnSync(process.execPath, [bin, 'findings', '--profile', 'smoke', '--beside', d], { encoding: 'utf8', env });
  r = beside(prev);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^- \*\*\(a\)\*\* the original model's MIA[^\n]*\n {2}- results\/smoke: \*\*supported\*\*[^\n]*\n {2}- [^\n]*prev: \*\*no data\*\*/,
  );
  assert.equal(beside(path.join(dir, 'nope')).status, 2);
  write('fig3-mia', noMia);
  r = go();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no data for claim \(a\): needs the original models at two or more widths/);
});
