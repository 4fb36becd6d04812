// Atomic file and directory writes (write to a temporary sibling, then rename), so an interrupted
// run never leaves a half-written result behind; temporaries name their host and process so stale ones
// (their writer died) can be recognised and removed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError } from './errors';

let counter = 0;
const host = os.hostname().replace(/[^A-Za-z0-9_.-]/g, '_');
const TMP_MARK = '.tmp-';

function tmpName(target: string): string {
  return `${target}${TMP_MARK}${host}-${process.pid}-${Date.now()}-${counter++}`;
}

/** Whether a file or folder name is a temporary of these writers (never a finished file). */
export function isTemporary(name: string): boolean {
  return name.includes(TMP_MARK);
}

/** Whether the process that wrote temporary `name` is this host's, and no longer running. */
export function writerIsDead(name: string): boolean {
  const m = /\.tmp-(.+)-(\d+)-(\d+)-(\d+)$/.exec(name);
  if (!m || m[1] !== host) return false;
  return !processAlive(Number(m[2]));
}

/** Whether a process with this pid runs on this host (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporaries in `dir` whose writer died on this host or that are older than `maxAgeHours`
 * (a writer on another host); returns the names removed.
 * @example
 * removeStaleTemporaries(path.join(storeRoot(), 'original'));
 */
export function removeStaleTemporaries(dir: string, maxAgeHours = 24): string[] {
  if (!fs.existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!isTemporary(name)) continue;
    const p = path.join(dir, name);
    let old = false;
    try {
      old = Date.now() - fs.statSync(p).mtimeMs > maxAgeHours * 3600e3;
    } catch {
      continue;
    }
    if (old || writerIsDead(name)) {
      fs.rmSync(p, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Writes `data` to `file` atomically, creating parent folders. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tmpName(file);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes pretty JSON atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Builds a directory atomically: `fill(tmpDir)` writes into a fresh temporary folder, which is then
 * renamed to `dir`. If `dir` already exists (another process finished first) the new one is dropped.
 */
export function writeDirAtomic(dir: string, fill: (tmpDir: string) => void): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = tmpName(dir);
  fs.mkdirSync(tmp);
  try {
    fill(tmp);
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (fs.existsSync(dir)) fs.rmSync(tmp, { recursive: true, force: true });
      else throw e;
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads JSON, returning undefined when the file does not exist; unreadable JSON is a DataError naming the file. */
export function readJsonIfExists<T>(file: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new DataError(file, `is not valid JSON (${(e as Error).message})`);
  }
}
