// Reads selected files from a folder or a tar / tar.gz archive (POSIX ustar/pax via node-tar's Parser),
// streaming the archive so nothing is extracted to disk.
import * as fs from 'fs';
import * as path from 'path';
import { createGunzip } from 'zlib';
import { Parser, ReadEntry } from 'tar';
import { DataError } from '../util/errors';

/** One file read from a folder or archive. */
export interface SourceFile {
  /** Path relative to the folder / archive root, '/'-separated, without a leading './'. */
  path: string;
  data: Buffer;
}

/** Options of readSourceFiles. */
export interface ReadSourceOptions {
  /** Which files to keep, by relative path and size in bytes (default: all). Others are skipped unread. */
  filter?: (relPath: string, size: number) => boolean;
  /** Called after each kept file with the running count. */
  onFile?: (count: number, relPath: string) => void;
}

/** What kind of source a path is. */
export type SourceKind = 'folder' | 'tar' | 'tar.gz' | 'file';

/**
 * Classifies a path by content: folder, gzip (assumed tar.gz), tar (ustar magic) or other file.
 * @example
 * sourceKind('/work/shared/data/cifar10-jpeg.tar.gz'); // 'tar.gz'
 */
export function sourceKind(p: string): SourceKind {
  const st = fs.statSync(p);
  if (st.isDirectory()) return 'folder';
  const head = Buffer.alloc(262);
  const fd = fs.openSync(p, 'r');
  let got = 0;
  try {
    got = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (got >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (got >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return 'file';
}

function normalise(rel: string): string {
  let p = rel.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p.replace(/^\/+/, '');
}

/**
 * Reads the files of a folder (recursively) or of a tar / tar.gz archive that pass `filter`, in
 * memory. Errors (unreadable, truncated or corrupt archive) are DataErrors naming `source`.
 * @example
 * const files = await readSourceFiles('cifar10-jpeg.tar.gz', { filter: (p) => p.endsWith('.jpg') });
 */
export async function readSourceFiles(source: string, opts: ReadSourceOptions = {}): Promise<SourceFile[]> {
  if (!fs.existsSync(source)) throw new DataError(source, 'does not exist');
  const kind = sourceKind(source);
  if (kind === 'folder') return readFolder(source, opts);
  if (kind === 'file') {
    throw new DataError(source, 'expected a folder, a .tar or a .tar.gz archive (not a gzip or tar file)');
  }
  return readTar(source, kind === 'tar.gz', opts);
}

function readFolder(root: string, opts: ReadSourceOptions): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string, rel: string): void => {
    const names = fs.readdirSync(dir, { withFileTypes: true });
    for (const d of names) {
      const full = path.join(dir, d.name);
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(full, r);
      else if (d.isFile()) {
        const size = opts.filter ? fs.statSync(full).size : 0;
        if (opts.filter && !opts.filter(r, size)) continue;
        out.push({ path: r, data: fs.readFileSync(full) });
        opts.onFile?.(out.length, r);
      }
    }
  };
  walk(root, '');
  return out;
}

function readTar(file: string, gzipped: boolean, opts: ReadSourceOptions): Promise<SourceFile[]> {
  return new Promise((resolve, reject) => {
    const out: SourceFile[] = [];
    let failed = false;
    let open: string | undefined; // an entry whose data has not ended yet
    let tail: Buffer = Buffer.alloc(0); // last 512 bytes of the tar stream: the end-of-archive marker is zeros
    const fail = (what: string, e: unknown): void => {
      if (failed) return;
      failed = true;
      const msg = e instanceof Error ? e.message : String(e);
      input.destroy();
      reject(new DataError(file, `${what}: ${msg}; the archive is truncated or corrupt, fetch it again`));
    };
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const rel = normalise(entry.path);
      const isFile = entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
      open = rel;
      entry.on('end', () => {
        open = undefined;
      });
      if (!isFile || (opts.filter && !opts.filter(rel, entry.size))) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        out.push({ path: rel, data: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
        opts.onFile?.(out.length, rel);
      });
    });
    parser.on('error', (e: unknown) => fail('bad tar data', e));
    parser.on('warn', (code: string, message: string | Error) => {
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') fail('bad tar data', message);
    });
    parser.on('end', () => {
      // node-tar ends quietly when the input stops inside an entry or before the end-of-archive blocks.
      if (open !== undefined) fail('truncated tar data', `input ends inside '${open}'`);
      else if (tail.length < 512 || tail.some((b) => b !== 0)) fail('truncated tar data', 'no end-of-archive marker');
      if (!failed) resolve(out);
    });
    const watch = (c: Buffer): void => {
      tail = c.length >= 512 ? c.subarray(c.length - 512) : Buffer.concat([tail, c]).subarray(-512);
    };
    const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    input.on('error', (e) => fail('read error', e));
    if (gzipped) {
      const gunzip = createGunzip();
      gunzip.on('error', (e) => fail('gzip error', e));
      gunzip.on('data', watch);
      input.pipe(gunzip).pipe(parser);
    } else {
      input.on('data', (c) => watch(c as Buffer));
      input.pipe(parser);
    }
  });
}
