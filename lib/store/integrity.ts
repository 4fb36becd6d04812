// Integrity of stored entries: SHA-256 of every file of an entry in its checksums.json (the model bundle also
// checks itself), verified before an entry is trusted; a corrupt entry is moved aside under <store>/corrupt/
// with a warning, so it is recomputed and never fatal for the rest of a sweep.
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { verifyBundle } from '../models/checkpoint';
import { DataError } from '../util/errors';

/** The files of an entry, each listed with its SHA-256 in checksums.json (result.json is replaced by updates). */
export const CHECKSUMS = 'checksums.json';
export interface Checksums {
  format: 'store-checksums/1';
  files: Record<string, string>;
}

export const sha256File = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * Writes checksums.json for `files` (names inside `dir`).
 * @example
 * writeChecksums(tmpDir, ['config.json', 'key.json', 'meta.json', 'result.json']);
 */
export function writeChecksums(dir: string, files: string[], write: (file: string, value: unknown) => void): void {
  const sums: Checksums = { format: 'store-checksums/1', files: Object.fromEntries(files.map((f) => [f, sha256File(path.join(dir, f))])) };
  write(path.join(dir, CHECKSUMS), sums);
}

// Verified files (path → size and mtime when checked): each file is hashed once per process.
const verified = new Map<string, string>();
const stamp = (file: string) => {
  const s = fs.statSync(file);
  return `${s.size}:${s.mtimeMs}`;
};

function verifyOnce(file: string, check: () => void): void {
  const st = stamp(file);
  if (verified.get(file) === st) return;
  check();
  verified.set(file, st);
}

/**
 * Throws a DataError naming the first file of the entry at `dir` that is missing or differs from its checksum
 * (and a model.ckpt whose bundle checksum fails).
 */
export function verifyEntry(dir: string): void {
  const sumsFile = path.join(dir, CHECKSUMS);
  if (!fs.existsSync(sumsFile)) throw new DataError(sumsFile, 'missing (an entry written by an older version, or damaged)');
  let sums: Checksums;
  try {
    sums = JSON.parse(fs.readFileSync(sumsFile, 'utf8')) as Checksums;
  } catch (e) {
    throw new DataError(sumsFile, `is not valid JSON (${(e as Error).message})`);
  }
  if (sums?.format !== 'store-checksums/1' || typeof sums.files !== 'object')
    throw new DataError(sumsFile, "is not a 'store-checksums/1' file");
  for (const [name, want] of Object.entries(sums.files)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new DataError(file, 'missing');
    verifyOnce(file, () => {
      if (sha256File(file) !== want)
        throw new DataError(file, `does not match its SHA-256 in ${CHECKSUMS} (the file was changed or damaged)`);
    });
  }
  const model = path.join(dir, 'model.ckpt');
  if (fs.existsSync(model)) verifyOnce(model, () => verifyBundle(model));
}

/**
 * Moves a corrupt entry to `<root>/corrupt/<kind>-<hash>-<time>` and warns with both paths; returns the new path.
 * @example
 * quarantine(root, 'original', dir, 'result.json is not valid JSON');
 */
export function quarantine(root: string, kind: string, dir: string, why: string): string {
  const dest = path.join(root, 'corrupt', `${kind}-${path.basename(dir)}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  try {
    fs.renameSync(dir, dest);
  } catch (e) {
    if (!fs.existsSync(dir)) return dest; // another process moved it first
    throw e;
  }
  verified.clear();
  console.warn(`store: ${dir} is corrupt: ${why}; moved to ${dest}; it will be recomputed`);
  return dest;
}
