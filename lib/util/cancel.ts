// Cooperative cancellation of a run (Kernel > Interrupt in a notebook, an AbortSignal): each top-level run gets a
// fresh token, SIGINT in a tslab kernel cancels the running ones, and long loops call throwIfCancelled() at their
// step boundaries (follows the AbortSignal pattern; the token travels with the run through AsyncLocalStorage).
import { AsyncLocalStorage } from 'async_hooks';

/** Thrown at the next step boundary of a cancelled run. What finished before is kept (the store is atomic). */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** The cancellation state of one run. */
export interface CancelToken {
  readonly cancelled: boolean;
  /** Why, e.g. 'interrupted' (SIGINT) or 'aborted' (AbortSignal). */
  readonly reason: string | undefined;
  /** Calls `listener` once when the run is cancelled (at once if it already is); returns an unsubscribe. */
  onCancel(listener: (reason: string) => void): () => void;
}

class Token implements CancelToken {
  cancelled = false;
  reason: string | undefined;
  private readonly listeners = new Set<(reason: string) => void>();

  constructor(parent?: Token) {
    parent?.onCancel((why) => this.cancel(why));
  }

  cancel(reason: string): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.reason = reason;
    for (const l of [...this.listeners]) l(reason);
    this.listeners.clear();
  }

  onCancel(listener: (reason: string) => void): () => void {
    if (this.cancelled) {
      listener(this.reason as string);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Process-wide state, shared by every copy of this module (tslab re-imports edited modules). */
interface CancelState {
  scope: AsyncLocalStorage<Token>;
  running: Set<Token>;
  idle: Token;
  sigint: boolean;
}
const KEY = Symbol.for('overparam-unlearning.cancel');
const state: CancelState =
  ((globalThis as Record<symbol, unknown>)[KEY] as CancelState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = {
    scope: new AsyncLocalStorage<Token>(),
    running: new Set<Token>(),
    idle: new Token(),
    sigint: false,
  } as CancelState);

/** The token of the run this code belongs to (outside any run: a token that is never cancelled). */
export function currentToken(): CancelToken {
  return state.scope.getStore() ?? state.idle;
}

/** True once the run this code belongs to was cancelled (progress sinks and displays of such a run go silent). */
export function isCancelled(): boolean {
  return currentToken().cancelled;
}

/**
 * Throws a CancelledError when the current run was cancelled; call it at every step boundary of a long loop.
 * @example
 * for (const batch of batches) { throwIfCancelled(); step(batch); }
 */
export function throwIfCancelled(): void {
  const t = currentToken();
  if (t.cancelled)
    throw new CancelledError(
      `${t.reason ?? 'cancelled'}: stopped at a step boundary; finished work is kept in the store, re-run to resume`,
    );
}

/** Options of `cancellable`. */
export interface CancellableOptions {
  /** Cancels the run when aborted. */
  signal?: AbortSignal;
}

/**
 * Runs `fn` as one cancellable run. A top-level call starts with a fresh token (an earlier interrupt does not
 * leak into the next run); a nested call shares its caller's token (plus `signal`, if given).
 * @example
 * const rows = await cancellable(() => runSweep(options), { signal: AbortSignal.timeout(60_000) });
 */
export async function cancellable<T>(fn: () => Promise<T>, options: CancellableOptions = {}): Promise<T> {
  const outer = state.scope.getStore();
  if (outer && !options.signal) return fn();
  installInterruptHandler();
  const token = new Token(outer);
  const signal = options.signal;
  const onAbort = () => token.cancel('aborted');
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  state.running.add(token);
  try {
    return await state.scope.run(token, fn);
  } finally {
    state.running.delete(token);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Cancels every running run (what SIGINT does in a notebook kernel); returns how many were running.
 * @example
 * cancelRunning('interrupted');
 */
export function cancelRunning(reason = 'interrupted'): number {
  const n = state.running.size;
  for (const t of [...state.running]) t.cancel(reason);
  return n;
}

/**
 * Inside a tslab kernel, makes SIGINT (Kernel > Interrupt) cancel the running runs. tslab's own SIGINT
 * listener ends the cell; this one stops the work behind it. Command-line processes keep Node's default
 * (Ctrl-C ends the process), so nothing is installed outside a kernel.
 */
export function installInterruptHandler(): void {
  if (state.sigint || !('__tslab__' in globalThis)) return;
  state.sigint = true;
  // Not now: tslab runs a cell's synchronous part under vm's breakOnSigint, whose watchdog resets SIGINT to the
  // default action when it stops; a listener added inside it would leave the kernel killable by the next interrupt.
  setImmediate(() => {
    process.on('SIGINT', () => {
      if (cancelRunning('interrupted') > 0) {
        process.stderr.write(
          'Interrupted: the computation stops at its next step; finished models stay in the store and re-running the cell resumes from them.\n',
        );
      }
    });
  });
}
