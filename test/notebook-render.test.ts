// Tests of headless PNG rendering (lib/plot/render-png.ts) with Chromium, and of the missing-Chromium error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import {
  ChromiumMissingError,
  chromiumPath,
  closeRenderer,
  configureRenderer,
  renderPng,
  savePng,
  type ChromiumLauncher,
} from '../lib/plot/render-png';
import { show } from '../lib/notebook/display';

// Compile-time check that the locally typed subset of playwright-core matches the real API.
const launcher: ChromiumLauncher = chromium;
void launcher;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const haveChromium = fs.existsSync(chromiumPath());

test('renders figures to PNG with one browser, writes files atomically', { skip: !haveChromium && 'no Chromium' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-png-'));
  try {
    const fig = { data: [{ type: 'scatter', y: new Float64Array([1, 3, 2]) }], layout: { title: { text: 'T' } } };
    const png = await renderPng(fig, { width: 320, height: 200 });
    assert.deepEqual(png.subarray(0, 8), PNG_MAGIC);
    assert.equal(png.readUInt32BE(16), 320); // IHDR width
    assert.equal(png.readUInt32BE(20), 200);
    assert.equal(png[25], 3, 'IHDR colour type 3: a palette PNG by default');
    const full = await renderPng(fig, { width: 320, height: 200, palette: false });
    assert.notEqual(full[25], 3);
    assert.ok(png.length < full.length, `palette ${png.length} B vs full colour ${full.length} B`);
    const t = Date.now();
    const [a, b] = await Promise.all([savePng(fig, path.join(dir, 'a', 'x.png')), renderPng({ data: [{ type: 'bar', y: [1, 2] }] })]);
    assert.ok(Date.now() - t < 10_000);
    assert.ok(fs.statSync(a).size > 1000);
    assert.equal(b.readUInt32BE(16), 700);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'a')), ['x.png']);
  } finally {
    await closeRenderer();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('show() outside a kernel writes PNG + JSON to UNLEARN_FIGURE_DIR', { skip: !haveChromium && 'no Chromium' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-fig-'));
  const orig = console.log;
  console.log = () => undefined;
  process.env['UNLEARN_FIGURE_DIR'] = dir;
  try {
    await show({ data: [{ y: [1, 2] }], layout: { title: 'Forget accuracy' } });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['forget-accuracy.json', 'forget-accuracy.png']);
  } finally {
    console.log = orig;
    delete process.env['UNLEARN_FIGURE_DIR'];
    await closeRenderer();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing Chromium gives an actionable error; show() falls back with one warning', async () => {
  const saved = chromiumPath();
  configureRenderer({ chromiumPath: '/nonexistent/chromium' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unlearn-fig-'));
  const warnings: string[] = [];
  const [log, warn] = [console.log, console.warn];
  console.log = () => undefined;
  console.warn = (s: string) => void warnings.push(s);
  process.env['UNLEARN_FIGURE_DIR'] = dir;
  try {
    await assert.rejects(
      renderPng({ data: [] }),
      (e: Error) => e instanceof ChromiumMissingError && /apt-get install chromium/.test(e.message),
    );
    await show({ data: [{ y: [1] }] }, { name: 'a' });
    await show({ data: [{ y: [2] }] }, { name: 'b' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /CHROMIUM_PATH/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.json', 'b.json']);
  } finally {
    [console.log, console.warn] = [log, warn];
    delete process.env['UNLEARN_FIGURE_DIR'];
    configureRenderer({ chromiumPath: saved });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
