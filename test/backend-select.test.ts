// Backend selection: the wasm module's rethrowing process handlers are removed (they would kill a notebook
// kernel on any stray rejected promise), and an unknown UNLEARN_BACKEND is a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';

const script = (body: string) => spawnSync(process.execPath, ['--import', 'tsx', '-e', body], { encoding: 'utf8', cwd: `${__dirname}/..`, env: { ...process.env, UNLEARN_BACKEND: 'wasm' } });

test('after selecting wasm, an unhandled rejection is not rethrown by the wasm module', () => {
  const r = script(`
    const { ensureBackend } = require('./lib/backend/select');
    const before = process.listeners('unhandledRejection').length + process.listeners('uncaughtException').length;
    ensureBackend().then((b) => {
      const after = process.listeners('unhandledRejection').length + process.listeners('uncaughtException').length;
      console.log(JSON.stringify({ choice: b.choice, before, after }));
    });`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop() as string), { choice: 'wasm', before: 0, after: 0 });
});

test('an unknown UNLEARN_BACKEND names the valid choices', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `require('./lib/backend/select').ensureBackend().catch((e) => { console.error(e.message); process.exit(2); })`],
    { encoding: 'utf8', cwd: `${__dirname}/..`, env: { ...process.env, UNLEARN_BACKEND: 'tpu' } });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /UNLEARN_BACKEND='tpu' is not a backend; expected one of: auto, tensorflow-gpu, tensorflow/);
});
