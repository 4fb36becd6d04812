// Tests of the resumable, checksum-verified download (and downloadCifar10) against a local HTTP server
// serving an official-style archive built from the binary fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar';
import { DataError } from '../lib/util/errors';
import { downloadFile } from '../lib/data/download';
import { downloadCifar10, loadCifar10 } from '../lib/data/cifar10';

const BIN_DIR = path.join(__dirname, '..', 'data', 'fixtures', 'cifar-10-batches-bin');
/** The fixture's counts (4 records per train batch, 1 test image per class) instead of the official ones. */
const FIXTURE_COUNTS = { train: 20, test: 10, trainPerClass: 2, testPerClass: 1 };

interface ServerOptions {
  /** Close the connection after this many body bytes on the first request. */
  dropFirstAfter?: number;
  /** Ignore Range headers (always 200 with the whole file). */
  ignoreRange?: boolean;
}

interface TestServer {
  url: string;
  ranges: (string | undefined)[];
  close(): Promise<void>;
}

function serve(body: Buffer, opts: ServerOptions = {}): Promise<TestServer> {
  const ranges: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    const range = req.headers.range;
    ranges.push(range);
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    if (m && !opts.ignoreRange) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        res.end();
        return;
      }
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else {
      res.writeHead(200, { 'content-length': body.length });
    }
    const part = body.subarray(start);
    if (ranges.length === 1 && opts.dropFirstAfter !== undefined) {
      res.write(part.subarray(0, opts.dropFirstAfter), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(part);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`,
        ranges,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

async function fixtureArchive(dir: string): Promise<Buffer> {
  const stage = path.join(dir, 'stage');
  fs.cpSync(BIN_DIR, path.join(stage, 'cifar-10-batches-bin'), { recursive: true });
  const file = path.join(dir, 'src.tar.gz');
  await tar.c({ gzip: true, file, cwd: stage, portable: true }, ['cifar-10-batches-bin']);
  return fs.readFileSync(file);
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

test('downloadCifar10: download, verify MD5, import, load; progress reported', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dl-'));
  const body = await fixtureArchive(tmp);
  const srv = await serve(body);
  try {
    const seen: number[] = [];
    const root = path.join(tmp, 'root');
    const r = await downloadCifar10({
      expected: FIXTURE_COUNTS,
      dataRoot: root,
      url: srv.url,
      md5: md5(body),
      onProgress: (p) => {
        if (p.phase === 'download') {
          seen.push(p.done);
          assert.equal(p.total, body.length);
        }
      },
    });
    assert.equal(r.manifest.source.kind, 'official-archive');
    assert.equal(r.manifest.source.url, srv.url);
    assert.equal(seen[seen.length - 1], body.length);
    assert.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1]));
    assert.deepEqual(fs.readFileSync(path.join(root, 'downloads', 'cifar-10-binary.tar.gz')), body);
    const { train, test: t } = await loadCifar10({ dataRoot: root });
    assert.equal(train.n, 20);
    assert.equal(t.n, 10);
  } finally {
    await srv.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a dropped connection keeps the .part; the next call resumes with a Range request', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dl-'));
  const body = await fixtureArchive(tmp);
  const cut = 5000;
  const srv = await serve(body, { dropFirstAfter: cut });
  const dest = path.join(tmp, 'out', 'a.tar.gz');
  try {
    await assert.rejects(
      downloadFile(srv.url, dest, { md5: md5(body), retries: 0 }),
      (e: unknown) => e instanceof DataError && /run the same command again to resume/.test(e.message),
    );
    assert.equal(fs.statSync(`${dest}.part`).size, cut);
    assert.equal(fs.existsSync(dest), false);
    const r = await downloadFile(srv.url, dest, { md5: md5(body) });
    assert.equal(r.resumedFrom, cut);
    assert.deepEqual(srv.ranges, [undefined, `bytes=${cut}-`]);
    assert.deepEqual(fs.readFileSync(dest), body);
    assert.equal(fs.existsSync(`${dest}.part`), false);
    // Already there with the right digest: nothing fetched.
    const again = await downloadFile(srv.url, dest, { md5: md5(body) });
    assert.equal(again.cached, true);
    assert.equal(srv.ranges.length, 2);
  } finally {
    await srv.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('automatic resume within one call, and a server that ignores Range restarts cleanly', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dl-'));
  const body = await fixtureArchive(tmp);
  const srv = await serve(body, { dropFirstAfter: 3000 });
  const plain = await serve(body, { ignoreRange: true });
  try {
    const dest = path.join(tmp, 'a.tar.gz');
    const r = await downloadFile(srv.url, dest, { md5: md5(body), retries: 2 });
    assert.equal(r.resumedFrom, 0);
    assert.deepEqual(srv.ranges, [undefined, 'bytes=3000-']);
    assert.deepEqual(fs.readFileSync(dest), body);
    const dest2 = path.join(tmp, 'b.tar.gz');
    fs.writeFileSync(`${dest2}.part`, body.subarray(0, 1234));
    await downloadFile(plain.url, dest2, { md5: md5(body) });
    assert.deepEqual(plain.ranges, ['bytes=1234-']);
    assert.deepEqual(fs.readFileSync(dest2), body);
  } finally {
    await srv.close();
    await plain.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('an MD5 mismatch deletes the download and imports nothing', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dl-'));
  const body = await fixtureArchive(tmp);
  const srv = await serve(body);
  try {
    const root = path.join(tmp, 'root');
    await assert.rejects(
      downloadCifar10({ expected: FIXTURE_COUNTS, dataRoot: root, url: srv.url }), // the official MD5: mismatch
      (e: unknown) => e instanceof DataError && /MD5 .* expected c32a1d4ab5d03f1284b67883e8d87530/.test(e.message),
    );
    assert.deepEqual(fs.readdirSync(path.join(root, 'downloads')), []);
    assert.equal(fs.existsSync(path.join(root, 'cifar10')), false);
  } finally {
    await srv.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('an unreachable server is a DataError telling the user to use --from', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dl-'));
  const srv = await serve(Buffer.alloc(10));
  const url = srv.url;
  await srv.close(); // nothing listens on this port any more
  try {
    await assert.rejects(
      downloadCifar10({ expected: FIXTURE_COUNTS, dataRoot: tmp, url, timeoutMs: 5000 }),
      (e: unknown) => e instanceof DataError && /cannot reach/.test(e.message) && /unlearn data prepare --from/.test(e.message),
    );
    assert.equal(fs.existsSync(path.join(tmp, 'cifar10')), false);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
