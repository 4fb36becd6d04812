// Backend selection: the wasm module's rethrowing process handlers are removed (they would kill a notebook
// kernel on any stray rejected promise), and an unknown UNLEARN_BACKEND is a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';

const script = (body: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', '-e', body], {
    encoding: 'utf8',
    cwd: `${__dirname}/..`,
    env: { ...process.env, UNLEARN_BACKEND: 'wasm' },
  });

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
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require('./lib/backend/select').ensureBackend().catch((e) => { console.error(e.message); process.exit(2); })`,
    ],
    { encoding: 'utf8', cwd: `${__dirname}/..`, env: { ...process.env, UNLEARN_BACKEND: 'tpu' } },
  );
  assert.equal(r.status, 2);
  assert.match(r.stderr, /UNLEARN_BACKEND='tpu' is not a backend; expected one of: auto, tensorflow-gpu, webgpu, tensorflow/);
});

const cli = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/unlearn.js', 'info', ...args], {
    encoding: 'utf8',
    cwd: `${__dirname}/..`,
    env: { ...process.env, UNLEARN_BACKEND: '', ...env },
  });

test('on a machine without a hardware GPU adapter (lavapipe at most), auto selection does not pick webgpu and says why it was skipped', () => {
  const r = cli({}, '--json');
  assert.equal(r.status, 0, r.stderr);
  const b = JSON.parse(r.stdout).backend;
  assert.notEqual(b.choice, 'webgpu', 'no hardware GPU adapter here');
  assert.ok(b.skipped.webgpu, 'the reason webgpu was skipped is reported');
});

test('a forced webgpu load that cannot work exits 2 and names what is missing', () => {
  const r = cli({ UNLEARN_BACKEND: 'webgpu', VK_DRIVER_FILES: '/nonexistent/icd.json' });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    /UNLEARN_BACKEND=webgpu could not be loaded: no WebGPU adapter: (no Vulkan driver is installed|the Vulkan loader libvulkan\.so\.1 is missing)/,
  );
});

test('forced webgpu (any adapter): info names the adapter and the store key carries it', (t) => {
  const r = cli({ UNLEARN_BACKEND: 'webgpu' }, '--json');
  if (r.status !== 0 && process.env.UNLEARN_REQUIRE_WEBGPU !== '1')
    return t.skip(`no webgpu adapter: ${r.stderr.trim().split('\n').pop()}`);
  assert.equal(r.status, 0, r.stderr);
  const { backend, compute } = JSON.parse(r.stdout);
  assert.equal(backend.choice, 'webgpu');
  for (const f of ['vendor', 'architecture', 'device', 'isFallback', 'features']) assert.ok(f in backend.adapter, `adapter.${f}`);
  assert.equal(compute.backend, 'webgpu');
  assert.match(compute.adapter, / \/ .* \/ /);
});
