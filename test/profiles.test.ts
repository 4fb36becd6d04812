// The scale profiles (lib/experiment/profiles.ts): cpu-fmnist and its grid row resolve, its original models take
// Fashion-MNIST's 28x28x1 images and 10 classes, and the scripts that list the profile names agree with the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { getProfile, profiles } from '../lib/experiment/profiles';
import { originalConfig } from '../lib/experiment/configs';
import { gridTable, grids } from '../lib/unlearn/grids';
import { fashionMnistSkip } from './helpers/fashion-mnist';

const root = path.join(__dirname, '..');

test('cpu-fmnist: the cpu recipe on Fashion-MNIST, with the cpu grid row', () => {
  const p = getProfile('cpu-fmnist');
  assert.equal(p.name, 'cpu-fmnist');
  assert.equal(p.data.dataset, 'fashion-mnist');
  assert.equal(p.data.augment, false);
  assert.equal(p.arch, 'resnet18k');
  assert.deepEqual(p.original, getProfile('cpu').original);
  assert.equal(gridTable('cpu-fmnist'), gridTable('cpu'));
});

test('cpu-fmnist originals: input shape [28, 28, 1] and 10 classes from the data set', { skip: fashionMnistSkip() }, async () => {
  const p = getProfile('cpu-fmnist');
  const cfg = await originalConfig(p, { goal: 'privacy', k: p.widths[0], seed: 0 });
  assert.deepEqual(cfg.model.inputShape, [28, 28, 1]);
  assert.equal(cfg.model.numClasses, 10);
  assert.equal(cfg.data.dataset, 'fashion-mnist');
});

test('every profile has a grid row, and the scripts list the profile names of the registry', () => {
  const names = Object.keys(profiles);
  for (const n of names) assert.equal(getProfile(n).name, n);
  assert.deepEqual(Object.keys(grids), names);
  const runner = fs.readFileSync(path.join(root, 'scripts', 'run-notebooks.py'), 'utf8');
  const py = /^PROFILES = \(([^)]*)\)/m.exec(runner)?.[1];
  assert.deepEqual(
    [...(py ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]),
    names,
    'scripts/run-notebooks.py PROFILES',
  );
  for (const n of names) assert.match(runner, new RegExp(`'${n}': `), `scripts/run-notebooks.py DEFAULT_TIMEOUT has '${n}'`);
  const kernel = fs.readFileSync(path.join(root, 'scripts', 'kernel-install.js'), 'utf8');
  const js = /^const PROFILES = \[([^\]]*)\]/m.exec(kernel)?.[1];
  assert.deepEqual(
    [...(js ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]),
    names,
    'scripts/kernel-install.js PROFILES',
  );
});
