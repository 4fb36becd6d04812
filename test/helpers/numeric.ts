// Numeric comparison used by the kernel tests: max |got − ref| / max |ref| (the issues' "relative error").
import assert from 'node:assert/strict';

/** max |got − ref| / max |ref| (0 when both are all zero; equal NaN/±Infinity count as equal, unequal as Infinity). */
export function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  assert.equal(got.length, ref.length, 'lengths differ');
  let m = 0, e = 0;
  for (let i = 0; i < ref.length; i++) {
    if (Object.is(got[i], ref[i]) || got[i] === ref[i]) continue;
    if (!Number.isFinite(ref[i]) || !Number.isFinite(got[i])) return Infinity;
    e = Math.max(e, Math.abs(got[i] - ref[i]));
  }
  for (let i = 0; i < ref.length; i++) if (Number.isFinite(ref[i])) m = Math.max(m, Math.abs(ref[i]));
  return m === 0 ? e : e / m;
}
