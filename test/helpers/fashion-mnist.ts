// Skip-or-require switch of the tests that read the real Fashion-MNIST files of Debian's dataset-fashion-mnist: they
// skip where the package is not installed, except under UNLEARN_REQUIRE_FASHION_MNIST=1 (CI), where its absence fails.
import * as fs from 'fs';
import { FASHION_MNIST_DEBIAN_DIR } from '../../lib/data/fashion-mnist';

/** The folder the tests read (UNLEARN_FASHION_MNIST, else Debian's). */
export const fashionMnistDir = process.env.UNLEARN_FASHION_MNIST ?? FASHION_MNIST_DEBIAN_DIR;

/**
 * `skip` option of a real-data test: a reason when the files are absent and not required, else false.
 * @example
 * test('reads Fashion-MNIST', { skip: fashionMnistSkip() }, () => { ... });
 */
export function fashionMnistSkip(): string | false {
  if (fs.existsSync(fashionMnistDir)) return false;
  if (process.env.UNLEARN_REQUIRE_FASHION_MNIST === '1') return false; // the test runs and fails, naming the file
  return `no Fashion-MNIST in ${fashionMnistDir} (apt-get install dataset-fashion-mnist)`;
}
