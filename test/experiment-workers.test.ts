// Sweep workers (lib/experiment/workers.ts): the order cells are handed out in (widest first, seeds in order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellOrder } from '../lib/experiment/workers';

test('cellOrder: widest cells first, then seeds in order; the input is not reordered in place', () => {
  const cells = [1, 2, 4].flatMap((k) => [0, 1, 2].map((seed) => ({ k, seed })));
  const order = cellOrder(cells);
  assert.deepEqual(
    order.map((c) => `${c.k}/${c.seed}`),
    ['4/0', '4/1', '4/2', '2/0', '2/1', '2/2', '1/0', '1/1', '1/2'],
  );
  assert.equal(cells[0].k, 1, 'input untouched');
  assert.deepEqual(cellOrder([]), []);
});
