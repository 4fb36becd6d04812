// Streaming file digests (SHA-256, MD5) and `sha256sum`-style sidecar files (`<hex>  <name>`).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DataError } from '../util/errors';

export type DigestAlgorithm = 'sha256' | 'md5';

/**
 * Hex digest of a file, read as a stream (constant memory).
 * @example
 * const hex = await fileDigest('data/cifar10/train.bin', 'sha256');
 */
export function fileDigest(file: string, algorithm: DigestAlgorithm = 'sha256'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Several hex digests of a file in one read.
 * @example
 * const { sha256, md5 } = await fileDigests('cifar-10-binary.tar.gz', ['sha256', 'md5']);
 */
export function fileDigests<A extends DigestAlgorithm>(file: string, algorithms: readonly A[]): Promise<Record<A, string>> {
  return new Promise((resolve, reject) => {
    const hashes = algorithms.map((a) => createHash(a));
    const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => {
      for (const h of hashes) h.update(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      const out = {} as Record<A, string>;
      algorithms.forEach((a, i) => {
        out[a] = hashes[i].digest('hex');
      });
      resolve(out);
    });
  });
}

/**
 * Hex digest of bytes in memory.
 * @example
 * bytesDigest(Buffer.from('abc')); // 'ba7816bf...'
 */
export function bytesDigest(data: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return createHash(algorithm).update(data).digest('hex');
}

/**
 * Parses a `sha256sum` line (`<64 hex>  <file name>`, optional `*` before the name) and returns the
 * digest; throws a DataError naming `sidecar` if it holds no digest.
 * @example
 * parseDigestLine('d34c...f965  cifar10-jpeg.tar.gz\n', 'x.sha256'); // 'd34c...f965'
 */
export function parseDigestLine(text: string, sidecar: string): string {
  const m = /^\s*([0-9a-fA-F]{32,128})\b/.exec(text);
  if (!m) throw new DataError(sidecar, 'expected a checksum line `<hex digest>  <file name>`');
  return m[1].toLowerCase();
}

/** What `verifySidecar` found. */
export interface SidecarCheck {
  /** The sidecar file, or undefined if there is none. */
  sidecar?: string;
  /** Digest of the file (always computed). */
  sha256: string;
  /** Whether a sidecar existed and matched. */
  verified: boolean;
}

/**
 * Computes the SHA-256 of `file` (unless given) and, if `<file>.sha256` exists, checks it; throws a
 * DataError naming the file, the expected and the actual digest on mismatch.
 * @example
 * const { sha256, verified } = await verifySidecar('/work/shared/data/cifar10-jpeg.tar.gz');
 */
export async function verifySidecar(file: string, knownSha256?: string): Promise<SidecarCheck> {
  const sha256 = knownSha256 ?? (await fileDigest(file, 'sha256'));
  const sidecar = `${file}.sha256`;
  if (!fs.existsSync(sidecar)) return { sha256, verified: false };
  const expected = parseDigestLine(fs.readFileSync(sidecar, 'utf8'), sidecar);
  if (expected !== sha256) {
    throw new DataError(
      file,
      `SHA-256 mismatch: expected ${expected} (from ${path.basename(sidecar)}), ` +
        `got ${sha256}; the file is corrupt or incomplete, fetch it again`,
    );
  }
  return { sidecar, sha256, verified: true };
}
