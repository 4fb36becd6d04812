// CIFAR-10 import checks: each official batch file holds exactly 10,000 records, the data set 50,000 train
// and 10,000 test images, exactly 1,000 of each class in test (5,000 in train); errors name the file.
import { DataError, UsageError } from '../util/errors';
import { CIFAR10_CLASSES, CIFAR10_TRAIN_FILES, CIFAR_RECORD, scanCifarRecords } from './cifar-binary';
import type { ImageTree } from './image-folder';

/** Image counts a CIFAR-10 source must have: totals per split and images of each class per split. */
export interface Cifar10Counts {
  train: number;
  test: number;
  trainPerClass: number;
  testPerClass: number;
}

/**
 * The official data set: 5 train batches of 10,000 records (5,000 per class in all) and a test batch of
 * 10,000 records (exactly 1,000 per class).
 */
export const CIFAR10_OFFICIAL_COUNTS: Readonly<Cifar10Counts> = Object.freeze({
  train: 50000,
  test: 10000,
  trainPerClass: 5000,
  testPerClass: 1000,
});

/** One official batch file: where it is (for errors: path in the folder, or `<archive>:<member>`) and its bytes. */
export interface BatchFile {
  where: string;
  data: Uint8Array;
}

const sum = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0);

/**
 * Throws a UsageError unless `c` is consistent: per-class counts times 10 classes equal the totals and
 * the train total splits into 5 equal batches.
 * @example
 * assertCountsSpec({ train: 20, test: 10, trainPerClass: 2, testPerClass: 1 }); // ok (the test fixtures)
 */
export function assertCountsSpec(c: Cifar10Counts): void {
  const k = CIFAR10_CLASSES.length;
  const nb = CIFAR10_TRAIN_FILES.length;
  const ints = [c.train, c.test, c.trainPerClass, c.testPerClass].every((v) => Number.isInteger(v) && v > 0);
  if (!ints || c.trainPerClass * k !== c.train || c.testPerClass * k !== c.test || c.train % nb !== 0) {
    throw new UsageError(
      `expected CIFAR-10 counts ${JSON.stringify(c)} are inconsistent: expected positive ` +
        `integers with train = ${k} x trainPerClass, test = ${k} x testPerClass, train divisible by ${nb} batches`,
    );
  }
}

/**
 * Checks one split's per-class counts against `expected`; throws a DataError naming `where`, e.g.
 * "the test set holds 10000 images with 999 of class dog, 1001 of class cat; expected exactly 1000 of each".
 * @example
 * checkSplitCounts('test', [1000, ...], CIFAR10_OFFICIAL_COUNTS, 'test_batch.bin', 'the test set');
 */
export function checkSplitCounts(
  split: 'train' | 'test',
  counts: readonly number[],
  expected: Cifar10Counts,
  where: string,
  what = `the ${split} set`,
  hint = '',
): void {
  const total = sum(counts);
  const perClass = split === 'train' ? expected.trainPerClass : expected.testPerClass;
  const off = counts.map((n, c) => [n, c] as const).filter(([n]) => n !== perClass);
  if (total === expected[split] && off.length === 0) return;
  const classes = off.map(([n, c]) => `${n} of class ${CIFAR10_CLASSES[c] ?? c}`).join(', ');
  throw new DataError(
    where,
    `${what} holds ${total} images${classes ? ` with ${classes}` : ''}; expected ` +
      `${expected[split]} images, exactly ${perClass} of each of the ${CIFAR10_CLASSES.length} classes${hint}`,
  );
}

/**
 * Checks the official batch files: each of data_batch_1..5.bin holds exactly `train / 5` records
 * (10,000), test_batch.bin exactly `test` (10,000), every label byte is 0..9 (errors name the record),
 * and the per-class counts (a train-class error names `source`). Returns the per-class counts.
 * @example
 * const { train, test } = checkOfficialBatches('cifar-10-binary.tar.gz', trainBatches, testBatch);
 */
export function checkOfficialBatches(
  source: string,
  trainBatches: readonly BatchFile[],
  testBatch: BatchFile,
  expected: Cifar10Counts = CIFAR10_OFFICIAL_COUNTS,
): { train: number[]; test: number[] } {
  const perBatch = expected.train / CIFAR10_TRAIN_FILES.length;
  const train = new Array<number>(CIFAR10_CLASSES.length).fill(0);
  for (const b of trainBatches) {
    checkRecordCount(b, perBatch);
    scanCifarRecords(b.data, b.where).forEach((n, c) => {
      train[c] += n;
    });
  }
  checkRecordCount(testBatch, expected.test);
  const test = scanCifarRecords(testBatch.data, testBatch.where);
  const names = trainBatches.map((b) => b.where.split(/[/:]/).pop()).join(', ');
  checkSplitCounts('train', train, expected, source, `the train batches (${names})`);
  checkSplitCounts('test', test, expected, testBatch.where);
  return { train, test };
}

function checkRecordCount(b: BatchFile, records: number): void {
  if (b.data.length === records * CIFAR_RECORD) return;
  const n = b.data.length / CIFAR_RECORD;
  throw new DataError(
    b.where,
    `holds ${Number.isInteger(n) ? n : n.toFixed(3)} records (${b.data.length} bytes), ` +
      `expected exactly ${records} records of ${CIFAR_RECORD} bytes (${records * CIFAR_RECORD} bytes), as in each ` +
      'official CIFAR-10 batch file; the file is truncated or not from the official archive',
  );
}

/**
 * Checks an image-folder source before decoding: `train/` and `test/` exist, only CIFAR-10 class
 * folders, and the image counts per split and class. Errors name `source` and the folder.
 * @example
 * checkImageFolderCounts(groupSplitClassFiles(files, src), src, CIFAR10_OFFICIAL_COUNTS);
 */
export function checkImageFolderCounts(tree: ImageTree, source: string, expected: Cifar10Counts = CIFAR10_OFFICIAL_COUNTS): void {
  for (const split of ['train', 'test'] as const) {
    const byClass = tree.get(split);
    if (!byClass) throw new DataError(source, `has no '${split}/' split folder (found: ${[...tree.keys()].join(', ')})`);
    const unknown = [...byClass.keys()].filter((c) => !CIFAR10_CLASSES.includes(c));
    if (unknown.length > 0) {
      throw new DataError(
        source,
        `class folders ${unknown.map((c) => `${split}/${c}/`).join(', ')} are not ` +
          `among the CIFAR-10 classes ${CIFAR10_CLASSES.join(', ')}`,
      );
    }
    const counts = CIFAR10_CLASSES.map((c) => byClass.get(c)?.length ?? 0);
    checkSplitCounts(split, counts, expected, source, `${split}/`, ' (one folder per class)');
  }
}
