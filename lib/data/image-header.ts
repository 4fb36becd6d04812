// Reads width, height and channel count from JPEG (ITU T.81 SOFn marker) and PNG (IHDR chunk) headers
// without decoding, so the decoder can check sizes and batch same-size images.

/** Header facts of an encoded image. */
export interface ImageHeader {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  /** Colour components as stored (JPEG: 1 grey, 3 YCbCr/RGB, 4 CMYK; PNG: 1, 2, 3 or 4; palette = 3). */
  channels: number;
}

const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * Parses the header of a JPEG or PNG; undefined if it is neither or is malformed.
 * @example
 * readImageHeader(fs.readFileSync('0000.jpg')); // { format: 'jpeg', width: 32, height: 32, channels: 3 }
 */
export function readImageHeader(b: Uint8Array): ImageHeader | undefined {
  if (
    b.length >= 24 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[12] === 0x49 &&
    b[13] === 0x48 &&
    b[14] === 0x44 &&
    b[15] === 0x52
  ) {
    const u32 = (o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    const colourType = b[25];
    const channels = ({ 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 } as Record<number, number>)[colourType];
    if (channels === undefined) return undefined;
    return { format: 'png', width: u32(16), height: u32(20), channels };
  }
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    let marker = b[i + 1];
    while (marker === 0xff && i + 2 < b.length) {
      i++;
      marker = b[i + 1];
    } // fill bytes
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / scan before any frame header
    const len = (b[i + 2] << 8) | b[i + 3];
    if (SOF.has(marker)) {
      if (i + 10 > b.length) return undefined;
      return { format: 'jpeg', height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8], channels: b[i + 9] };
    }
    i += 2 + len;
  }
  return undefined;
}
