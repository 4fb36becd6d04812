// Tests for the onednn backend's buffer pool (lib/backend/native/pool.ts): freed buffers are reused by size,
// the free lists never hold more than twice the recent peak of live bytes (nor the cap), a new working set
// displaces the buffers freed longest ago, and exposed buffers are never handed out again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool } from '../lib/backend/native/pool';

const MiB = 2 ** 20;

/** Allocates `count` buffers of `mib` MiB as the backend does (alloc, then a tensor storage retains it). */
function take(pool: BufferPool, count: number, mib: number): Float32Array[] {
  return Array.from({ length: count }, () => {
    const a = pool.alloc((mib * MiB) / 4);
    pool.retain(a);
    return a;
  });
}

test('pool: a released buffer is reused for the next allocation of its size', () => {
  const pool = new BufferPool(1 << 30);
  const [a] = take(pool, 1, 1);
  pool.release(a);
  assert.equal(pool.pooledBytes, MiB);
  const [b] = take(pool, 1, 1);
  assert.equal(b.buffer, a.buffer);
  assert.equal(pool.pooledBytes, 0);
});

test('pool: free lists hold at most twice the peak of live bytes (at least 64 MiB) and at most the cap', () => {
  const pool = new BufferPool(1 << 30);
  // A working set of 20 × 8 MiB = 160 MiB live at once, then all released: all kept for the next step.
  const step = take(pool, 20, 8);
  step.forEach((a) => pool.release(a));
  assert.equal(pool.pooledBytes, 160 * MiB);
  assert.equal(pool.limitBytes, 320 * MiB);
  // A burst of another size while the step's buffers sit in the pool: kept only up to the same limit.
  const burst = take(pool, 30, 16);
  burst.forEach((a) => pool.release(a));
  assert.ok(pool.pooledBytes <= pool.limitBytes, `${pool.pooledBytes / MiB} MiB pooled, limit ${pool.limitBytes / MiB} MiB`);
  const capped = new BufferPool(32 * MiB);
  take(capped, 10, 8).forEach((a) => capped.release(a));
  assert.equal(capped.pooledBytes, 32 * MiB);
});

test('pool: a new working set displaces the buffers freed longest ago instead of being refused', () => {
  const pool = new BufferPool(1 << 30);
  // A training step's working set: 40 × 2 MiB live, then freed (limit 160 MiB, all 80 MiB kept).
  take(pool, 40, 2).forEach((a) => pool.release(a));
  // An inference pass that frees stage by stage (peak live 6 × 16 MiB = 96 MiB, limit 192 MiB): 6 × 16, then
  // 5 × 8, 5 × 4 MiB — 156 MiB across sizes, more than its peak but within twice it.
  const pass = () => {
    const bufs: ArrayBuffer[] = [];
    for (const [count, mib] of [
      [6, 16],
      [5, 8],
      [5, 4],
    ]) {
      const stage = take(pool, count, mib);
      stage.forEach((a) => bufs.push(a.buffer as ArrayBuffer));
      stage.forEach((a) => pool.release(a));
    }
    return bufs;
  };
  const first = new Set(pass());
  // The second pass gets every buffer back from the pool (no fresh allocation), displacing the step's 2 MiB ones.
  const second = pass();
  assert.equal(second.filter((b) => first.has(b)).length, second.length);
  assert.ok(pool.pooledBytes <= pool.limitBytes);
});

test('pool: a buffer that left the backend (exposed) is never reused', () => {
  const pool = new BufferPool(1 << 30);
  const [a] = take(pool, 1, 1);
  pool.expose(a);
  pool.release(a);
  assert.equal(pool.pooledBytes, 0);
  const [b] = take(pool, 1, 1);
  assert.notEqual(b.buffer, a.buffer);
});

test('pool: eviction skips size lists that reuse emptied', () => {
  const pool = new BufferPool(8 * MiB);
  // 1 MiB and 2 MiB buffers freed, the 1 MiB one reused (its list left empty), then releases past the 8 MiB cap.
  const [a] = take(pool, 1, 1);
  const [b] = take(pool, 1, 2);
  pool.release(a);
  pool.release(b);
  take(pool, 1, 1);
  const burst = take(pool, 6, 2);
  assert.doesNotThrow(() => burst.forEach((x) => pool.release(x)));
  assert.equal(pool.pooledBytes, 8 * MiB);
});
