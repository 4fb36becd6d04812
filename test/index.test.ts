// The public index lib/index.ts: it loads, and it exports every name the notebooks import from lib/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');

/** Names each notebook imports from './lib/…' (values and `import type` separately). */
function notebookImports(): { notebook: string; values: string[]; types: string[] }[] {
  const dir = path.join(root, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((notebook) => {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, notebook), 'utf8')) as {
        cells: { cell_type: string; source: string | string[] }[];
      };
      const code = nb.cells
        .filter((c) => c.cell_type === 'code')
        .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))
        .join('\n');
      const values: string[] = [],
        types: string[] = [];
      for (const m of code.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'\.\/lib\/[^']*'/g)) {
        for (const part of m[2]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)) {
          const isType = Boolean(m[1]) || part.startsWith('type ');
          (isType ? types : values).push(part.replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
        }
      }
      return { notebook, values, types };
    });
}

test('lib/index exports at run time every value the notebooks import from lib/', () => {
  const index = require('../lib/index') as Record<string, unknown>;
  assert.ok(notebookImports().flatMap((n) => n.values).length > 20, 'found too few notebook imports: is the import regex stale?');
  const missing = notebookImports().flatMap(({ notebook, values }) =>
    values.filter((v) => index[v] === undefined).map((v) => `${notebook}: ${v}`),
  );
  assert.deepEqual(missing, []);
});

test('lib/index re-exports every type the notebooks import from lib/', () => {
  const src = fs.readFileSync(path.join(root, 'lib', 'index.ts'), 'utf8');
  const exported = new Set([...src.matchAll(/^export type \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim())));
  const missing = notebookImports().flatMap(({ notebook, types }) => types.filter((t) => !exported.has(t)).map((t) => `${notebook}: ${t}`));
  assert.deepEqual(missing, []);
});

test('lib/index re-exports one module per line with named (not star) exports', () => {
  const lines = fs
    .readFileSync(path.join(root, 'lib', 'index.ts'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('export'));
  assert.deepEqual(
    lines.filter((l) => !/^export (type )?\{ [^}]+ \} from '\.\/[a-z-]+\/[a-z0-9-]+';$/.test(l)),
    [],
  );
});
