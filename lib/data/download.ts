// Resumable HTTP(S) download (RFC 9110 Range requests) into `<dest>.part`, verified by MD5/SHA-256
// before it is renamed to `dest`; a corrupt download is deleted, never left looking complete.
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { DataError } from '../util/errors';
import { fileDigest } from './checksum';

/** Options of downloadFile. */
export interface DownloadOptions {
  /** Expected MD5 (hex) of the whole file. */
  md5?: string;
  /** Expected SHA-256 (hex) of the whole file. */
  sha256?: string;
  /** Called as bytes arrive with (bytes so far including a resumed part, total if known). */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Abort a request idle for this long (default 30000 ms). */
  timeoutMs?: number;
  /** Automatic resumes after a dropped connection within one call (default 3). */
  retries?: number;
  /** Appended to 'cannot reach' errors (e.g. how to proceed offline). */
  offlineHint?: string;
}

/** What downloadFile did. */
export interface DownloadResult {
  file: string;
  bytes: number;
  /** Bytes already in `<dest>.part` when this call started (0 = fresh download). */
  resumedFrom: number;
  /** True if `dest` already existed with the expected digest and nothing was fetched. */
  cached: boolean;
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

class Interrupted extends Error {}

function sizeOf(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

async function verify(file: string, opts: DownloadOptions, label: string): Promise<string | undefined> {
  if (opts.md5) {
    const got = await fileDigest(file, 'md5');
    if (got !== opts.md5.toLowerCase()) return `MD5 of ${label} is ${got}, expected ${opts.md5}`;
  }
  if (opts.sha256) {
    const got = await fileDigest(file, 'sha256');
    if (got !== opts.sha256.toLowerCase()) return `SHA-256 of ${label} is ${got}, expected ${opts.sha256}`;
  }
  return undefined;
}

/** One GET (following redirects) appending to `part` from its current size. */
function fetchOnce(url: string, part: string, opts: DownloadOptions, redirects = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = sizeOf(part);
    const lib = url.startsWith('https:') ? https : http;
    const headers: Record<string, string> = { 'user-agent': 'overparam-unlearning-data/1' };
    if (start > 0) headers.range = `bytes=${start}-`;
    const req = lib.get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) {
          reject(new DataError(url, 'too many redirects'));
          return;
        }
        fetchOnce(new URL(res.headers.location, url).toString(), part, opts, redirects + 1).then(resolve, reject);
        return;
      }
      if (status === 416) {
        res.resume();
        resolve(); // the part is already complete (or longer than the file): verification decides
        return;
      }
      if (status !== 200 && status !== 206) {
        res.resume();
        reject(new DataError(url, `HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      let offset = 0;
      let total: number | undefined;
      if (status === 206) {
        const m = /bytes\s+(\d+)-(\d+)\/(\d+|\*)/.exec(String(res.headers['content-range'] ?? ''));
        if (!m || Number(m[1]) !== start) {
          res.resume();
          reject(new DataError(url, `server answered range ${start}- with Content-Range ` + `'${res.headers['content-range']}'`));
          return;
        }
        offset = start;
        total = m[3] === '*' ? undefined : Number(m[3]);
      } else {
        const len = Number(res.headers['content-length']);
        total = Number.isFinite(len) && len > 0 ? len : undefined;
      }
      // 200 = the server ignored the range: start the part over.
      const out = fs.createWriteStream(part, { flags: status === 206 ? 'a' : 'w' });
      let received = offset;
      let failed = false;
      const fail = (e: unknown): void => {
        if (failed) return;
        failed = true;
        res.destroy();
        out.end(() => reject(new Interrupted(`connection dropped after ${received} bytes: ${(e as Error).message ?? e}`)));
      };
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        opts.onProgress?.(received, total);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('aborted')));
      out.on('error', (e) => {
        failed = true;
        res.destroy();
        reject(new DataError(part, `cannot write: ${e.message}`));
      });
      res.pipe(out);
      out.on('finish', () => {
        if (failed) return;
        if (total !== undefined && received < total) {
          failed = true;
          reject(new Interrupted(`connection closed after ${received} of ${total} bytes`));
        } else resolve();
      });
    });
    req.setTimeout(opts.timeoutMs ?? 30000, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (sizeOf(part) > start) reject(new Interrupted(e.message));
      else if (e.code && NETWORK_CODES.has(e.code)) {
        reject(new DataError(url, `cannot reach the server (${e.code}: ${e.message}).${opts.offlineHint ? ' ' + opts.offlineHint : ''}`));
      } else reject(new DataError(url, `request failed: ${e.message}`));
    });
  });
}

/**
 * Downloads `url` to `dest`, resuming a previous `<dest>.part` with an HTTP Range request and
 * verifying the expected digest before renaming; on a digest mismatch the part file is deleted and a
 * DataError is thrown. If the connection drops, the part is kept (call again to resume).
 * @example
 * await downloadFile('https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', 'data/downloads/c.tar.gz',
 *   { md5: 'c32a1d4ab5d03f1284b67883e8d87530', onProgress: (r, t) => console.log(r, t) });
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (fs.existsSync(dest) && (opts.md5 || opts.sha256) && (await verify(dest, opts, dest)) === undefined) {
    return { file: dest, bytes: sizeOf(dest), resumedFrom: 0, cached: true };
  }
  const part = `${dest}.part`;
  const resumedFrom = sizeOf(part);
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchOnce(url, part, opts);
      break;
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      if (attempt >= retries) {
        throw new DataError(
          url,
          `download interrupted (${e.message}); ${sizeOf(part)} bytes are kept in ` + `${part}: run the same command again to resume`,
        );
      }
    }
  }
  const problem = await verify(part, opts, `the download of ${url}`);
  if (problem) {
    fs.rmSync(part, { force: true });
    throw new DataError(dest, `${problem}; the corrupt download was deleted, run again to fetch it anew`);
  }
  fs.renameSync(part, dest);
  return { file: dest, bytes: sizeOf(dest), resumedFrom, cached: false };
}
