// Golden snapshots (after observablehq/plot's snapshot tests): a test builds a value, rounds its numbers, and
// compares it with the committed JSON under test/golden/; with UPDATE_GOLDEN=1 it rewrites the file instead.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

/** Folder of the committed snapshots. */
export const goldenDir = path.join(__dirname, '..', 'golden');

/** True when the run should rewrite snapshots (UPDATE_GOLDEN=1) instead of comparing with them. */
export const updating = process.env.UPDATE_GOLDEN === '1';

/**
 * Deep copy of `value` with every finite number rounded to `decimals` decimal places (and -0 written as 0),
 * so a snapshot does not depend on the last bits of Math.pow / Math.cos, which may differ between platforms.
 * @example
 * roundNumbers({ y: [0.1 + 0.2] }, 6); // { y: [0.3] }
 */
export function roundNumbers<T>(value: T, decimals = 6): T {
  const f = 10 ** decimals;
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return v;
      const r = Math.round(v * f) / f;
      return Object.is(r, -0) ? 0 : r;
    }),
  ) as T;
}

/** Path of a snapshot, relative to test/golden/ (e.g. `plots/fig1-privacy.json`). */
export function goldenPath(name: string): string {
  return path.join(goldenDir, name);
}

/**
 * Writes `value` as the snapshot `name`: pretty JSON with one trailing newline, so diffs stay readable; with
 * `oneLine`, the elements of that top-level array field are written one per line instead (long tables).
 */
export function writeGolden(name: string, value: unknown, oneLine?: string): void {
  const file = goldenPath(name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, (oneLine ? linesJson(value as Record<string, unknown>, oneLine) : JSON.stringify(value, null, 1)) + '\n');
}

function linesJson(value: Record<string, unknown>, field: string): string {
  const fields = Object.entries(value).map(([k, v]) => {
    const body = k === field && Array.isArray(v) ? `[\n${v.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n ]` : JSON.stringify(v);
    return ` ${JSON.stringify(k)}: ${body}`;
  });
  return `{\n${fields.join(',\n')}\n}`;
}

/** Reads the snapshot `name`; fails with the command that writes it when it does not exist. */
export function readGolden<T>(name: string, updateCommand: string): T {
  const file = goldenPath(name);
  assert.ok(fs.existsSync(file), `no snapshot test/golden/${name}; write it with: ${updateCommand}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/**
 * Compares `actual` (already rounded, plain JSON) with the snapshot `name`, or rewrites it under UPDATE_GOLDEN=1.
 * A mismatch fails with node's structural diff and the command that accepts the change.
 * @example
 * matchGolden('plots/fig1-privacy.json', roundNumbers(fig), 'UPDATE_GOLDEN=1 node --import tsx --test test/golden-plots.test.ts');
 */
export function matchGolden(name: string, actual: unknown, updateCommand: string): void {
  const plain = JSON.parse(JSON.stringify(actual)) as unknown;
  if (updating) {
    writeGolden(name, plain);
    return;
  }
  const want = readGolden<unknown>(name, updateCommand);
  assert.deepStrictEqual(plain, want, `test/golden/${name} differs (if the change is intended, accept it with: ${updateCommand})`);
}
