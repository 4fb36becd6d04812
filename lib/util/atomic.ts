// Atomic file and directory writes (write to a temporary sibling, then rename), so an interrupted
// run never leaves a half-written result behind.
import * as fs from 'fs';
import * as path from 'path';

let counter = 0;
function tmpName(target: string): string {
  return `${target}.tmp-${process.pid}-${Date.now()}-${counter++}`;
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

/** Reads JSON, returning undefined when the file does not exist. */
export function readJsonIfExists<T>(file: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
