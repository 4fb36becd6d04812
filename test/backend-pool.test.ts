// Tests for the onednn backend's buffer pool (lib/backend/native/pool.ts): freed buffers are reused by size,
// the free lists never hold more than the recent peak of live bytes (nor the cap), and exposed buffers are
// never handed out again.
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

test('pool: free lists hold at most the peak of live bytes (at least 64 MiB) and at most the cap', () => {
  const pool = new BufferPool(1 << 30);
  // A working set of 20 × 8 MiB = 160 MiB live at once, then all released: all kept for the next step.
  const step = take(pool, 20, 8);
  step.forEach((a) => pool.release(a));
  assert.equal(pool.pooledBytes, 160 * MiB);
  assert.ok(pool.limitBytes >= 160 * MiB);
  // A burst of another size while the step's buffers sit in the pool: kept only up to the same limit.
  const burst = take(pool, 30, 16);
  burst.forEach((a) => pool.release(a));
  assert.ok(pool.pooledBytes <= pool.limitBytes, `${pool.pooledBytes / MiB} MiB pooled, limit ${pool.limitBytes / MiB} MiB`);
  const capped = new BufferPool(32 * MiB);
  take(capped, 10, 8).forEach((a) => capped.release(a));
  assert.equal(capped.pooledBytes, 32 * MiB);
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
