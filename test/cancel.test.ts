// Cooperative cancellation (lib/util/cancel.ts) and the progress/display silence of a cancelled run; the
// progress line of a run that only reports its summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancellable, CancelledError, cancelRunning, currentToken, isCancelled, throwIfCancelled } from '../lib/util/cancel';
import { notebookProgress, ProgressTracker } from '../lib/notebook/progress';

const steps = async (n: number, log: number[]) => {
  for (let i = 0; i < n; i++) {
    throwIfCancelled();
    log.push(i);
    await new Promise((r) => setImmediate(r));
  }
  return log;
};

test('an aborted run stops at its next step boundary with a CancelledError; the next run starts fresh', async () => {
  const ac = new AbortController();
  const log: number[] = [];
  const run = cancellable(() => steps(1000, log), { signal: ac.signal });
  await new Promise((r) => setTimeout(r, 5));
  ac.abort();
  await assert.rejects(run, (e: Error) => e instanceof CancelledError && /aborted: stopped at a step boundary/.test(e.message));
  const stoppedAt = log.length;
  assert.ok(stoppedAt > 0 && stoppedAt < 1000, `stopped after ${stoppedAt} steps`);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(log.length, stoppedAt, 'nothing runs after the stop');
  assert.deepEqual(await cancellable(() => steps(3, [])), [0, 1, 2], 'a later run is not cancelled');
  assert.equal(isCancelled(), false, 'outside any run: never cancelled');
});

test('cancelRunning (what SIGINT does in a kernel) cancels running runs only; nested runs share the token', async () => {
  assert.equal(cancelRunning(), 0);
  let inner: boolean | undefined;
  const run = cancellable(async () => {
    await new Promise((r) => setTimeout(r, 5));
    await cancellable(async () => {
      assert.equal(cancelRunning('interrupted'), 1);
      inner = currentToken().cancelled;
    });
    throwIfCancelled();
  });
  await assert.rejects(run, /interrupted: stopped/);
  assert.equal(inner, true);
});

test("a cancelled run's progress goes silent; a summary-only progress line has no step count", async () => {
  const shown: string[] = [];
  const ac = new AbortController();
  await assert.rejects(
    cancellable(
      async () => {
        const p = notebookProgress((b) => shown.push(b['text/plain']), { intervalMs: 0 });
        p.update({ label: 'train', step: 1, total: 3 });
        ac.abort();
        p.update({ label: 'train', step: 2, total: 3 });
        p.done('late');
        throwIfCancelled();
      },
      { signal: ac.signal },
    ),
    CancelledError,
  );
  assert.equal(shown.length, 1, shown.join('\n'));
  assert.match(shown[0], /train {2}1\/3/);
  const t = new ProgressTracker();
  assert.match(t.describe('fig1-privacy: 420 stored models'), /^elapsed \d+s {2}fig1-privacy: 420 stored models$/);
});
