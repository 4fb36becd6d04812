// Checks that an output folder (the store, a results folder) can be written before any long computation
// starts: it can be created, a file can be written and renamed in it, and its disk has room.
import * as fs from 'fs';
import * as path from 'path';
import { DataError } from '../util/errors';

/** Free bytes below which a folder counts as full (a stored model of the widest profile is ~45 MB). */
export const MIN_FREE_BYTES = 64 * 2 ** 20;

const checked = new Set<string>();

function explain(dir: string, e: NodeJS.ErrnoException, hint: string): DataError {
  const why: Record<string, string> = {
    ENOTDIR: 'a part of this path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
  };
  return new DataError(dir, `cannot be written: ${why[e.code ?? ''] ?? e.message} (${e.code ?? 'error'}); ${hint}`);
}

/**
 * Throws a DataError naming `dir` unless it (or the folder it would be created in) is writable with at least
 * MIN_FREE_BYTES free; checked once per process per folder.
 * @example
 * ensureWritable(storeRoot(), 'set UNLEARN_STORE to a writable folder');
 */
export function ensureWritable(dir: string, hint: string): void {
  const abs = path.resolve(dir);
  if (checked.has(abs)) return;
  const probe = path.join(abs, `.write-probe-${process.pid}`);
  try {
    fs.mkdirSync(abs, { recursive: true });
    fs.writeFileSync(probe, 'probe');
    fs.renameSync(probe, `${probe}.renamed`);
    fs.rmSync(`${probe}.renamed`, { force: true });
  } catch (e) {
    try {
      fs.rmSync(probe, { force: true });
    } catch {
      /* the folder itself is the problem */
    }
    throw explain(abs, e as NodeJS.ErrnoException, hint);
  }
  const st = fs.statfsSync(abs);
  const free = st.bavail * st.bsize;
  if (free < MIN_FREE_BYTES) {
    throw new DataError(abs, `has only ${(free / 2 ** 20).toFixed(1)} MiB free (at least ${MIN_FREE_BYTES / 2 ** 20} MiB needed); ${hint}`);
  }
  checked.add(abs);
}

/** A write error turned into a DataError naming the folder (ENOSPC and friends), other errors unchanged. */
export function writeError(dir: string, e: unknown, hint: string): unknown {
  const err = e as NodeJS.ErrnoException;
  return err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code) ? explain(dir, err, hint) : e;
}
