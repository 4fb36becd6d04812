// CIFAR-10 (Krizhevsky 2009) cache check (`unlearn data check`): files, sizes, SHA-256, labels, per-class
// counts and fingerprint, reported without throwing, and the report as text.
import * as fs from 'fs';
import { CIFAR10_CLASSES, CIFAR_RECORD, scanCifarRecords } from './cifar-binary';
import { checkSplitCounts, Cifar10Counts, CIFAR10_OFFICIAL_COUNTS } from './cifar10-checks';
import { Cifar10Manifest, cifar10Fingerprint, cifar10Paths, readCifar10Manifest } from './cifar10-cache';
import { bytesDigest } from './checksum';
import { DataRootOptions } from './paths';

/** One file in a check report. */
export interface CheckedFile {
  split: 'train' | 'test';
  path: string;
  exists: boolean;
  bytes: number;
  records: number;
  expectedRecords: number;
  /** Actual SHA-256 (undefined when hashes were skipped or the file is missing). */
  sha256?: string;
  manifestSha256?: string;
  sha256Match?: boolean;
}

/** Result of checkCifar10. */
export interface Cifar10CheckReport {
  dir: string;
  ok: boolean;
  problems: string[];
  manifest?: Cifar10Manifest;
  files: CheckedFile[];
  /** Per-class counts read from the files (undefined for unreadable files). */
  classCounts: { train?: number[]; test?: number[] };
  classes: string[];
  /** The counts checked against (the manifest's `expected`, else the official ones). */
  expected: Cifar10Counts;
  /**
   * Content fingerprint: from the files' SHA-256 when hashes were checked (`fingerprintFrom: 'files'`),
   * else from manifest.json's (`'manifest'`, not verified); undefined if neither is available.
   */
  fingerprint?: string;
  fingerprintFrom?: 'files' | 'manifest';
}

/**
 * Checks the cache without throwing: files present, sizes, record counts, SHA-256 against the
 * manifest (default; `hashes: false` skips it), labels valid, per-class counts against the manifest
 * and the expected counts, and the content fingerprint. Each file is read once.
 * @example
 * const r = await checkCifar10(); if (!r.ok) console.log(r.problems.join('\n')); else console.log(r.fingerprint);
 */
export async function checkCifar10(opts: DataRootOptions & { hashes?: boolean } = {}): Promise<Cifar10CheckReport> {
  const p = cifar10Paths(opts);
  const hashes = opts.hashes !== false;
  const report: Cifar10CheckReport = {
    dir: p.dir,
    ok: false,
    problems: [],
    files: [],
    classCounts: {},
    classes: CIFAR10_CLASSES.slice(),
    expected: { ...CIFAR10_OFFICIAL_COUNTS },
  };
  try {
    report.manifest = readCifar10Manifest(opts);
    if (report.manifest.expected) report.expected = { ...report.manifest.expected };
  } catch (e) {
    report.problems.push((e as Error).message);
  }
  for (const split of ['train', 'test'] as const) {
    const file = split === 'train' ? p.train : p.test;
    const m = report.manifest?.files[split];
    const expectedRecords = report.manifest?.counts[split] ?? report.expected[split];
    const exists = fs.existsSync(file);
    const bytes = exists ? fs.readFileSync(file) : undefined;
    const size = bytes?.length ?? 0;
    const f: CheckedFile = { split, path: file, exists, bytes: size, records: Math.floor(size / CIFAR_RECORD), expectedRecords };
    report.files.push(f);
    if (!bytes) {
      report.problems.push(`${file}: missing`);
      continue;
    }
    if (size !== expectedRecords * CIFAR_RECORD) {
      report.problems.push(`${file}: ${size} bytes, expected ${expectedRecords} x ${CIFAR_RECORD} = ${expectedRecords * CIFAR_RECORD}`);
    }
    if (hashes) {
      f.sha256 = bytesDigest(bytes);
      f.manifestSha256 = m?.sha256;
      f.sha256Match = m ? m.sha256 === f.sha256 : undefined;
      if (m && !f.sha256Match) {
        report.problems.push(
          `${file}: SHA-256 ${f.sha256} differs from manifest ${m.sha256} (corrupt or edited; ` + 'run `unlearn data prepare --force`)',
        );
      }
    }
    if (size % CIFAR_RECORD === 0) {
      try {
        const counts = scanCifarRecords(bytes, file);
        report.classCounts[split] = counts;
        const mc = report.manifest?.classCounts?.[split];
        if (mc && mc.join(',') !== counts.join(',')) {
          report.problems.push(`${file}: per-class counts ${counts.join(',')} differ from manifest ${mc.join(',')}`);
        }
        checkSplitCounts(split, counts, report.expected, file);
      } catch (e) {
        report.problems.push((e as Error).message);
      }
    }
  }
  const [tr, te] = report.files;
  if (hashes && tr?.sha256 && te?.sha256) {
    report.fingerprint = cifar10Fingerprint({ train: { sha256: tr.sha256 }, test: { sha256: te.sha256 } });
    report.fingerprintFrom = 'files';
    const recorded = report.manifest?.fingerprint;
    if (recorded !== undefined && recorded !== report.fingerprint) {
      report.problems.push(`${p.manifest}: records fingerprint ${recorded}, the files give ${report.fingerprint}`);
    }
  } else if (report.manifest) {
    report.fingerprint = report.manifest.fingerprint ?? cifar10Fingerprint(report.manifest.files);
    report.fingerprintFrom = 'manifest';
  }
  report.ok = report.problems.length === 0;
  return report;
}

/**
 * Human-readable text of a check report (for `unlearn data check`).
 * @example
 * console.log(formatCifar10Check(await checkCifar10()));
 */
export function formatCifar10Check(r: Cifar10CheckReport): string {
  const lines = [`CIFAR-10 cache ${r.dir}: ${r.ok ? 'OK' : 'PROBLEMS'}`];
  if (r.manifest) {
    lines.push(`  source: ${r.manifest.source.kind} ${r.manifest.source.path}${r.manifest.source.lossy ? ' (lossy JPEG/PNG)' : ''}`);
    lines.push(`  created: ${r.manifest.created}`);
  }
  if (r.fingerprint) {
    const from = r.fingerprintFrom === 'files' ? "from the files' SHA-256" : 'from manifest.json, not verified against the files';
    const unrecorded = r.manifest && !r.manifest.fingerprint ? '; not yet in manifest.json, `unlearn data prepare` records it' : '';
    lines.push(`  fingerprint: ${r.fingerprint} (${from}${unrecorded})`);
  }
  for (const f of r.files) {
    const hash = f.sha256Match === undefined ? '' : f.sha256Match ? ', sha256 matches manifest' : ', SHA-256 MISMATCH';
    lines.push(`  ${f.split}: ${f.exists ? `${f.records} records (expected ${f.expectedRecords})${hash}` : 'missing'}`);
    const cc = r.classCounts[f.split];
    if (cc) lines.push(`    per class: ${r.classes.map((c, i) => `${c} ${cc[i]}`).join(', ')}`);
  }
  for (const p of r.problems) lines.push(`  problem: ${p}`);
  return lines.join('\n');
}
