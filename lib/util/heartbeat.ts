// A process-wide heartbeat: long computations call beat() at step boundaries (even when they never yield to
// the event loop) and holders of cross-process locks refresh them from it (lib/store/lock.ts).

type Listener = () => void;
const listeners = new Set<Listener>();
let last = 0;

/** Minimum milliseconds between two heartbeats that reach the listeners. */
export const HEARTBEAT_MS = 5000;

/**
 * Registers `fn` to run on heartbeats; returns a function that unregisters it.
 * @example
 * const stop = onHeartbeat(() => fs.utimesSync(lock, new Date(), new Date())); ... stop();
 */
export function onHeartbeat(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Signals that this process is alive and working; cheap (a clock read) unless HEARTBEAT_MS have passed.
 * @example
 * for (const batch of batches) { step(batch); beat(); }
 */
export function beat(): void {
  if (listeners.size === 0) return;
  const now = Date.now();
  if (now - last < HEARTBEAT_MS) return;
  last = now;
  for (const fn of listeners) {
    try {
      fn();
    } catch {
      /* a failed refresh is retried on the next beat */
    }
  }
}
