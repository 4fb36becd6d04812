// The --goal option shared by the experiment commands.
import type { UnlearningGoal } from '../../data/splits';
import { UsageError } from '../../util/errors';

/** Parses --goal (privacy or bias). */
export function parseGoal(value: unknown): UnlearningGoal {
  const goal = String(value ?? 'privacy');
  if (goal !== 'privacy' && goal !== 'bias') throw new UsageError(`--goal must be 'privacy' or 'bias', got '${goal}'`);
  return goal;
}
