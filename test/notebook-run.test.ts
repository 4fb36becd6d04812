// End-to-end test of the notebook stack: the unlearn-tslab kernel, lib/notebook/display in a real kernel, and
// scripts/run-notebooks.py failing on cell errors, TypeScript diagnostics and unhandled rejections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const root = path.resolve(__dirname, '..');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Notebook {
  cells: { cell_type: string; source: string | string[]; execution_count?: number | null; outputs?: Output[] }[];
  metadata: Record<string, unknown>;
}

function notebook(cells: string[]): Notebook {
  return {
    cells: cells.map((source) => ({ cell_type: 'code', source, execution_count: null, metadata: {}, outputs: [] })),
    metadata: { kernelspec: { name: 'unlearn-tslab', display_name: 'TypeScript (unlearn, tslab)', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  } as Notebook;
}

const joined = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : (t ?? ''));

/** Decodes a PNG (grey, RGB, palette or RGBA at any bit depth) far enough to check it is a real, non-blank image; returns [width, height]. */
function decodePng(png: Buffer): [number, number] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let channels = 0;
  let depth = 0;
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8]!;
      channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[body[9]!] ?? 0;
    }
    if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  assert.ok(channels > 0 && depth > 0, `IHDR colour type and bit depth`);
  assert.equal(raw.length, height * (1 + Math.ceil((width * channels * depth) / 8)), 'decoded pixel data size');
  assert.ok(new Set(raw).size > 4, 'image is not blank');
  return [width, height];
}

test('notebooks run headless: rich outputs saved; type errors and unhandled rejections fail the run', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(root, '.jupyter', 'test-run-'));
  try {
    const ok = path.join(dir, 'ok.ipynb');
    const typeError = path.join(dir, 'type-error.ipynb');
    const rejection = path.join(dir, 'rejection.ipynb');
    fs.writeFileSync(
      ok,
      JSON.stringify(
        notebook([
          "import { show, progress } from './lib/notebook/display';",
          "await show({ data: [{ type: 'scatter', y: [1, 3, 2, 4], name: 'loss' }], layout: { title: { text: 'Loss' } } });",
          "const p = progress({ intervalMs: 0 });\nfor (let i = 1; i <= 3; i++) p.update({ label: 'train', step: i, total: 3, loss: 1 / i });\np.done('final acc 0.9');",
          'console.log(process.env.UNLEARN_PROFILE);',
          // The kernel's zeromq sockets chain their sends (lib/notebook/display.ts), so a burst of in-place updates
          // from synchronous code cannot throw EBUSY.
          "const zmqPath = require.resolve('zeromq', { paths: [require('path').dirname(require.resolve('tslab'))] });\n" +
            "const q = progress({ intervalMs: 0 });\nfor (let i = 1; i <= 200; i++) q.update({ label: 'burst', step: i, total: 200 });\nq.done();\n" +
            "console.log('chained', Boolean(require(zmqPath).Publisher.prototype[Symbol.for('overparam-unlearning.serialized-send')]));",
        ]),
      ),
    );
    fs.writeFileSync(typeError, JSON.stringify(notebook(['const y = 1;', "const x: number = 'a';", 'console.log(x);'])));
    fs.writeFileSync(rejection, JSON.stringify(notebook(["Promise.reject(new Error('boom'));", "console.log('next');"])));
    const before = [typeError, rejection].map((f) => fs.readFileSync(f, 'utf8'));

    const run = spawnSync(
      '/usr/bin/python3',
      ['scripts/run-notebooks.py', '--profile', 'smoke', '--inplace', '--timeout', '60', ok, typeError, rejection],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 110_000,
      },
    );
    const log = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 1, log);
    assert.match(log, new RegExp(`ok   ${ok}: [\\d.]+ s wall`));
    assert.match(log, new RegExp(`FAIL ${typeError}: cell 2: TypeScript error`));
    assert.match(log, /const x: number = 'a';\n--- kernel stderr ---\n\s+1:7 - Type 'string' is not assignable to type 'number'\./);
    assert.match(log, new RegExp(`FAIL ${rejection}: cell 1: unhandled promise rejection`));
    assert.match(log, /UnhandledPromiseRejection: Error: boom/);
    assert.match(log, /2 of 3 notebook\(s\) failed/);
    // Failed notebooks are not saved.
    assert.deepEqual(
      [typeError, rejection].map((f) => fs.readFileSync(f, 'utf8')),
      before,
    );

    const saved = fs.readFileSync(ok, 'utf8');
    assert.match(
      saved,
      /"application\/vnd\.plotly\.v1\+json": \{"data":\[\{"type":"scatter","y":\[1,3,2,4\]/,
      'plotly output saved on one line',
    );
    assert.match(saved, /^ "cells": \[$/m, 'the rest indented as nbformat writes it');
    const nb = JSON.parse(saved) as Notebook;
    assert.ok(
      nb.cells.every((c) => c.execution_count === null),
      'execution counts cleared',
    );
    const figure = nb.cells[1]!.outputs!;
    assert.equal(figure.length, 1, JSON.stringify(figure).slice(0, 500));
    assert.equal(figure[0]!.output_type, 'display_data');
    const data = figure[0]!.data!;
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'text/plain']);
    const plotly = data['application/vnd.plotly.v1+json'] as { data: { y: number[] }[]; layout: unknown };
    assert.deepEqual(plotly.data[0]!.y, [1, 3, 2, 4]);
    assert.equal(joined(data['text/plain'] as string), 'Figure "Loss": 1 trace (scatter), 4 points');
    const png = Buffer.from(joined(data['image/png'] as string), 'base64');
    assert.ok(png.length > 1024, `PNG of ${png.length} bytes`);
    assert.deepEqual(decodePng(png), [700, 450]);

    const prog = nb.cells[2]!.outputs!;
    assert.equal(prog.length, 1, 'progress is one output updated in place');
    const text = joined(prog[0]!.data!['text/plain'] as string);
    assert.match(text, /^\[#+\] train {2}3\/3 {2}loss=0\.3333 {2}elapsed \d+s {2}final acc 0\.9$/);
    assert.equal(joined(nb.cells[3]!.outputs![0]!.text), 'smoke\n');
    assert.equal(joined(nb.cells[4]!.outputs!.find((o) => o.output_type === 'stream')!.text), 'chained true\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
