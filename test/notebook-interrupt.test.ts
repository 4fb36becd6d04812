// Kernel > Interrupt through Jupyter's kernel protocol (test/helpers/kernel-interrupt.py, jupyter_client): after a
// figure is drawn, an idle interrupt and interrupts of a training in the kernel and of sweep worker processes leave
// the kernel answering, stop the work (store stops growing, workers gone), print nothing later; a re-run reuses the
// store. Runs on a copy of the smoke store. Takes 2-4 minutes on 2 busy cores. Skipped without Jupyter or Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const PYTHON = process.env['JUPYTER_PYTHON'] || '/usr/bin/python3';

function skipReason(): string | false {
  if (!fs.existsSync(process.env['CHROMIUM_PATH'] || '/usr/bin/chromium')) return 'no Chromium (apt-get install chromium)';
  if (spawnSync(PYTHON, ['-c', 'import jupyter_client'], { stdio: 'ignore' }).status !== 0)
    return `jupyter_client not importable by ${PYTHON}`;
  if (!fs.existsSync(path.join(root, 'node_modules', 'tslab'))) return 'tslab not installed (npm install)';
  return false;
}

interface Report {
  checks: { name: string; ok: boolean; detail: string }[];
  failed: string[];
}

test(
  'Kernel > Interrupt: the kernel survives, the work stops, nothing prints later, a re-run resumes',
  { skip: skipReason(), timeout: 600_000 },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-interrupt-'));
    try {
      const store = path.join(dir, 'store');
      const smokeStore = process.env['UNLEARN_STORE'] || path.join(root, 'data', 'store');
      if (fs.existsSync(smokeStore)) fs.cpSync(smokeStore, store, { recursive: true, filter: (src) => !src.endsWith('.lock') });
      const r = spawnSync(PYTHON, [path.join(root, 'test', 'helpers', 'kernel-interrupt.py'), store, path.join(dir, 'results')], {
        cwd: root,
        encoding: 'utf8',
        timeout: 580_000,
      });
      const log = `${r.stderr
        .split('\n')
        .filter((l) => /^(ok|FAIL) /.test(l))
        .join('\n')}`;
      assert.ok(r.stdout.trim(), `no report (exit ${r.status}, signal ${r.signal}):\n${r.stderr.slice(-3000)}`);
      const report = JSON.parse(r.stdout) as Report;
      assert.deepEqual(report.failed, [], log);
      for (const name of [
        'idle interrupt: kernel answers',
        'workers=1: the store stops growing',
        'workers=2: worker processes terminated',
        're-run resumes from the store',
        'nothing of a stopped cell printed later',
      ]) {
        assert.ok(
          report.checks.some((c) => c.name === name && c.ok),
          `${name}\n${log}`,
        );
      }
      assert.equal(r.status, 0, log);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
