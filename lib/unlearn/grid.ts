// Hyperparameter grids: the cartesian product of per-key value lists over a method's defaults.
import type { Grid } from './types';

/**
 * Every combination of the grid's values, other keys from `defaults`, in a stable order.
 * @example
 * expandGrid({ lr: 0.1, epochs: 5 }, { lr: [0.1, 0.01] }); // [{lr: 0.1, epochs: 5}, {lr: 0.01, epochs: 5}]
 */
export function expandGrid<H extends object>(defaults: H, grid: Grid<H>): H[] {
  let out: H[] = [{ ...defaults }];
  for (const key of Object.keys(grid) as (keyof H)[]) {
    const values = grid[key];
    if (!values || values.length === 0) continue;
    out = out.flatMap((h) => values.map((v) => ({ ...h, [key]: v })));
  }
  return out;
}
