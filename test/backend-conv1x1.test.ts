// Test for the oneDNN 2.6 1x1 backward-weights workaround (native/src/conv.cc, skipStrided1x1; uxlfoundation/oneDNN#6035):
// strided 1x1 filter gradients with input channels that are not a multiple of 16 never run oneDNN's 1x1 kernel, match
// the cpu backend, and leave the heap intact (a child process, which the overflow used to abort). Skipped when the
// addon is not built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import path from 'path';
import { loadAddon, addonLoadError } from '../lib/backend/native/index';

const required = process.env.UNLEARN_REQUIRE_NATIVE === '1';
const skip = loadAddon() || required ? false : String(addonLoadError());

test(
  'onednn: strided 1x1 filter gradients avoid the 1x1 kernel below 16 input channels, match cpu, keep the heap',
  { skip, timeout: 300_000 },
  () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'conv1x1-strided.ts')], {
      encoding: 'utf8',
      env: { ...process.env, ONEDNN_VERBOSE: '1', UNLEARN_THREADS: '2' },
    });
    assert.equal(r.status, 0, `the child exited with ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
    const lines = r.stdout.split('\n');
    const results = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { ic: number; oc: number; err: number });
    assert.equal(results.length, 7, r.stdout.slice(-2000));
    for (const { ic, oc, err } of results) assert.ok(err <= 1e-5, `ic ${ic} oc ${oc}: relative error ${err} against the cpu backend`);
    // Which implementation each strided 1x1 filter gradient ran (verbose: ...,<impl>,backward_weights,...,mb32_icXocY_..kh1sh2...).
    const runs = lines
      .filter((l) => l.startsWith('onednn_verbose,exec,cpu,convolution,') && l.includes(',backward_weights,') && /kh1sh2/.test(l))
      .map((l) => ({ impl: l.split(',')[4]!, ic: Number(/_ic(\d+)oc/.exec(l)![1]) }));
    assert.ok(runs.length >= 70, `${runs.length} strided 1x1 filter gradients seen in the verbose log`);
    const bad = runs.filter((x) => x.ic % 16 !== 0 && x.impl.includes('1x1'));
    assert.deepEqual(bad, [], 'the 1x1 kernel ran a shape it overflows on');
    assert.ok(
      runs.some((x) => x.ic % 16 === 0),
      'a multiple-of-16 shape ran too',
    );
  },
);
