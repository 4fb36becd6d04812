// IDX files (LeCun's MNIST format, also Fashion-MNIST): magic 0x00 0x00 <type> <ndim>, ndim big-endian
// uint32 sizes, then the data; plain or gzip-compressed. Only type 0x08 (unsigned byte) is supported.
import * as fs from 'fs';
import { gunzipSync } from 'zlib';
import { DataError } from '../util/errors';
import { bytesDigest } from './checksum';

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
  /** SHA-256 (hex) of the uncompressed IDX bytes (header + data): the same for a file and its .gz. */
  sha256: string;
}

/**
 * Parses IDX bytes (gunzipping them first if they start with the gzip magic) and hashes the uncompressed
 * bytes (SHA-256, for content fingerprints).
 * @example
 * const labels = parseIdx(fs.readFileSync('t10k-labels-idx1-ubyte.gz'), 't10k-labels-idx1-ubyte.gz');
 * labels.shape; // [10000]
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new DataError(file, `gzip error: ${(e as Error).message}; the file is truncated or corrupt`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new DataError(file, 'not an IDX file (expected magic bytes 0x00 0x00 <type> <ndim>)');
  }
  if (buf[2] !== 0x08) throw new DataError(file, `IDX element type 0x${buf[2].toString(16)}, expected 0x08 (uint8)`);
  const ndim = buf[3];
  const header = 4 + 4 * ndim;
  if (ndim === 0 || buf.length < header) throw new DataError(file, `IDX header of ${ndim} dimensions is truncated`);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(buf.readUInt32BE(4 + 4 * d));
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== header + count) {
    throw new DataError(
      file,
      `IDX shape [${shape.join(', ')}] needs ${header + count} bytes, the file holds ` + `${buf.length}; it is truncated or corrupt`,
    );
  }
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + header, count).slice(), sha256: bytesDigest(buf) };
}

/**
 * Reads and parses an IDX file (plain or .gz).
 * @example
 * readIdx('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz').shape; // [60000, 28, 28]
 */
export function readIdx(file: string): IdxArray {
  return parseIdx(fs.readFileSync(file), file);
}
