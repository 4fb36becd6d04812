// Tests of the notebook display helpers outside a kernel: figure JSON/description, tables, progress sinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { describeFigure, figureToJson } from '../lib/plot/figure';
import { formatCell, formatTable, tableToHtml, tableToText } from '../lib/notebook/table';
import { formatDuration, notebookProgress, terminalProgress, type ProgressBundle } from '../lib/notebook/progress';
import { inNotebook, progress, show, showMarkdown, showTable, showText } from '../lib/notebook/display';

/** Captures console.log output while `fn` runs. */
async function captureLog(fn: () => unknown): Promise<string> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(' '));
  try {
    await fn();
  } finally {
    console.log = orig;
  }
  return lines.join('\n');
}

function fakeStream(isTTY: boolean): { stream: NodeJS.WritableStream & { isTTY: boolean }; out: string[] } {
  const out: string[] = [];
  const stream = { isTTY, columns: 200, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream & {
    isTTY: boolean;
  };
  return { stream, out };
}

test('figureToJson turns typed arrays into arrays and NaN into null', () => {
  const fig = figureToJson({ data: [{ type: 'scatter', y: new Float32Array([1, NaN, 3]) }] });
  assert.deepEqual(fig.data[0]!['y'], [1, null, 3]);
});

test('describeFigure names title, traces and points', () => {
  const text = describeFigure({
    data: [
      { type: 'scatter', y: [1, 2, 3] },
      { type: 'scatter', y: [4, 5, 6] },
      { type: 'bar', x: ['a'], y: [1] },
    ],
    layout: { title: { text: '<b>Loss</b>' } },
  });
  assert.equal(text, 'Figure "Loss": 3 traces (scatter x2, bar), 7 points');
  assert.equal(describeFigure({ data: [] }), 'Figure: 0 traces, 0 points');
});

test('formatCell uses fixed decimals, exponents for tiny numbers, blanks for null', () => {
  assert.equal(formatCell(0.123456), '0.1235');
  assert.equal(formatCell(3), '3');
  assert.equal(formatCell(1.5e-7), '1.500e-7');
  assert.equal(formatCell(null), '');
  assert.equal(formatCell({ a: 1 }), '{"a":1}');
});

test('tables from rows: aligned text, escaped HTML, truncation footer', () => {
  const rows = [
    { method: 'GA', acc: 0.5 },
    { method: '<retrain>', acc: 0.25 },
    { method: 'FT', acc: 1 },
  ];
  const t = formatTable(rows, { maxRows: 2, digits: 2 });
  assert.deepEqual(t.columns, ['method', 'acc']);
  assert.deepEqual(t.numeric, [false, true]);
  assert.equal(
    tableToText(t),
    ['method      acc', '---------  ----', 'GA         0.50', '<retrain>  0.25', '... 1 more rows (3 total)'].join('\n'),
  );
  const html = tableToHtml(t);
  assert.match(html, /&lt;retrain&gt;/);
  assert.match(html, /1 more rows/);
});

test('tables from an arquero table: total rows and cells at 4 decimals', () => {
  const t = formatTable(aq.table({ k: [1, 2, 4], acc: [0.9, 0.95, 0.975] }));
  assert.equal(t.totalRows, 3);
  assert.deepEqual(t.rows[2], ['4', '0.9750']);
});

test('terminal progress on a non-TTY stream prints throttled lines and a final summary', () => {
  const { stream, out } = fakeStream(false);
  const p = terminalProgress({ stream, logIntervalMs: 60_000 });
  p.update({ label: 'train', step: 1, total: 4, loss: 0.5 });
  p.update({ step: 2, loss: 0.25 }); // throttled
  p.done('acc 0.9');
  p.update({ step: 3 }); // ignored after done
  assert.equal(out.length, 2);
  assert.match(out[0]!, /^\[#{6}\.{18}\] train {2}1\/4 {2}loss=0\.5 {2}elapsed 0s/);
  assert.match(out[1]!, /train {2}2\/4 {2}loss=0\.25 {2}elapsed 0s {2}acc 0\.9\n$/);
});

test('terminal progress on a TTY redraws the line in place', () => {
  const { stream, out } = fakeStream(true);
  const p = terminalProgress({ stream, ttyIntervalMs: 0 });
  p.update({ step: 1, total: 2 });
  p.update({ step: 2 });
  p.done();
  assert.ok(out.every((s) => s.startsWith('\r\x1b[2K')));
  assert.ok(out[2]!.endsWith('done\n'));
});

test('notebook progress throttles renders and flushes the final state on done', () => {
  const renders: ProgressBundle[] = [];
  const p = notebookProgress((b) => renders.push(b), { intervalMs: 60_000 });
  p.update({ label: 'unlearn', step: 1, total: 3, acc: 0.5, etaSeconds: 125 });
  p.update({ step: 2 });
  p.done('forget acc 0.1');
  assert.equal(renders.length, 2);
  assert.match(renders[0]!['text/plain'], /unlearn {2}1\/3 {2}acc=0\.5 {2}elapsed 0s {2}eta 2m05s/);
  assert.match(renders[1]!['text/plain'], /unlearn {2}2\/3 .*forget acc 0\.1$/);
  assert.match(renders[1]!['text/html'] ?? '', /<progress value="0\.6667"/);
});

test('formatDuration: 42s, 3m05s, 1h02m, and ? for NaN', () => {
  assert.equal(formatDuration(42.4), '42s');
  assert.equal(formatDuration(185), '3m05s');
  assert.equal(formatDuration(3720), '1h02m');
  assert.equal(formatDuration(NaN), '?');
});

test('outside a kernel display functions print text instead of crashing', async () => {
  assert.equal(inNotebook(), false);
  const saved = process.env['UNLEARN_FIGURE_DIR'];
  delete process.env['UNLEARN_FIGURE_DIR'];
  try {
    const text = await captureLog(async () => {
      await show({ data: [{ type: 'bar', y: [1, 2] }], layout: { title: 'Bars' } });
      showTable([{ a: 1 }]);
      showMarkdown('**md**');
      showText('hello');
    });
    assert.equal(text, ['Figure "Bars": 1 trace (bar), 2 points', 'a\n-\n1', '**md**', 'hello'].join('\n'));
  } finally {
    if (saved !== undefined) process.env['UNLEARN_FIGURE_DIR'] = saved;
  }
  const { stream, out } = fakeStream(false);
  const p = progress({ stream });
  p.update({ step: 1 });
  p.done();
  assert.equal(out.length, 2);
});
