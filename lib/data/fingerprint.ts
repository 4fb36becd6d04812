// Content fingerprints of data sets: a short, stable id (`sha256:<16 hex>`) derived from the SHA-256 of
// each of the data set's files, so that any changed pixel or label byte gives a different id.
import { createHash } from 'crypto';

/** One file of a data set: a stable name (no folder) and the SHA-256 (hex) of its contents. */
export interface FingerprintPart {
  name: string;
  sha256: string;
}

/** Hex digits of the SHA-256 kept in a fingerprint (64 bits). */
export const FINGERPRINT_HEX_DIGITS = 16;

/**
 * The fingerprint of a data set: `sha256:` + the first 16 hex digits of the SHA-256 of the lines
 * `<name> <sha256>\n`, one per part, in the given order. It depends only on the parts (names and file
 * contents), so it is equal across processes and machines for the same bytes.
 * @example
 * contentFingerprint([{ name: 'train.bin', sha256: 'fb1e…' }, { name: 'test.bin', sha256: 'cf28…' }]);
 * // 'sha256:6c0d2e4f9a1b3c57'
 */
export function contentFingerprint(parts: readonly FingerprintPart[]): string {
  if (parts.length === 0) throw new RangeError('contentFingerprint needs at least one file');
  const h = createHash('sha256');
  for (const p of parts) {
    if (!/^[0-9a-f]{64}$/.test(p.sha256)) throw new RangeError(`${p.name}: '${p.sha256}' is not a hex SHA-256`);
    h.update(`${p.name} ${p.sha256}\n`);
  }
  return `sha256:${h.digest('hex').slice(0, FINGERPRINT_HEX_DIGITS)}`;
}
