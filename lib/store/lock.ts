// Cross-process locks on store entries: an atomically created lock file naming its owner (host, pid, token),
// refreshed by the process heartbeat, so processes on one machine or on nodes sharing a filesystem never
// compute one entry twice. A lock is stale when its owner's pid is gone on this host (survives kill -9) or,
// from another host, when it was not refreshed for UNLEARN_LOCK_STALE_S seconds (default 600).
import * as fs from 'fs';
import * as os from 'os';
import { randomBytes } from 'crypto';
import { processAlive } from '../util/atomic';
import { onHeartbeat } from '../util/heartbeat';

/** What a lock file holds. */
export interface LockOwner {
  host: string;
  pid: number;
  token: string;
  since: string;
  what: string;
}

/** A held lock; release() removes it (only if it is still ours). */
export interface HeldLock {
  file: string;
  owner: LockOwner;
  release(): void;
}

const host = os.hostname();
const held = new Set<HeldLock>();
let refreshTimer: NodeJS.Timeout | undefined;

/** Seconds after which a lock of another host that was not refreshed counts as abandoned. */
export function staleSeconds(): number {
  const v = Number(process.env.UNLEARN_LOCK_STALE_S);
  return Number.isFinite(v) && v > 0 ? v : 600;
}

/** Reads a lock's owner; undefined when the file is gone or not yet written. */
export function readLock(file: string): LockOwner | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text ? (JSON.parse(text) as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock at `file` no longer protects anything (its owner died or stopped refreshing it), else undefined. */
export function staleReason(file: string): string | undefined {
  let mtime: number;
  try {
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const owner = readLock(file);
  const age = (Date.now() - mtime) / 1000;
  if (owner && owner.host === host && !processAlive(owner.pid)) return `its owner, pid ${owner.pid} on this host, is not running`;
  if (age > staleSeconds()) return `not refreshed for ${Math.round(age)} s (UNLEARN_LOCK_STALE_S=${staleSeconds()})`;
  return undefined;
}

function refreshAll(): void {
  const now = new Date();
  for (const l of held) {
    if (readLock(l.file)?.token === l.owner.token) fs.utimesSync(l.file, now, now);
  }
}

onHeartbeat(refreshAll);

/**
 * Tries to take the lock `file` for `what`; returns the held lock, or undefined when a live owner holds it.
 * A stale lock is broken (only if it is still the same stale lock) and taken.
 * @example
 * const lock = tryLock(`${dir}.lock`, 'original/1c4e…'); if (lock) try { ... } finally { lock.release(); }
 */
export function tryLock(file: string, what: string): HeldLock | undefined {
  const owner: LockOwner = { host, pid: process.pid, token: randomBytes(8).toString('hex'), since: new Date().toISOString(), what };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, JSON.stringify(owner));
      } finally {
        fs.closeSync(fd);
      }
      const lock: HeldLock = {
        file,
        owner,
        release() {
          held.delete(lock);
          if (held.size === 0 && refreshTimer) {
            clearInterval(refreshTimer);
            refreshTimer = undefined;
          }
          if (readLock(file)?.token === owner.token) fs.rmSync(file, { force: true });
        },
      };
      held.add(lock);
      // Refresh while the event loop turns as well (waiting on I/O); long synchronous work calls beat().
      refreshTimer ??= setInterval(refreshAll, 30_000).unref();
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const seen = readLock(file)?.token;
    if (!staleReason(file)) return undefined;
    // Break it only if it is still the lock judged stale (another process may have broken and retaken it).
    if (readLock(file)?.token === seen) fs.rmSync(file, { force: true });
  }
  return undefined;
}
