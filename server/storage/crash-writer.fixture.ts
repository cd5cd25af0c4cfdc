/**
 * Child process for the crash test: stores versions as fast as it can and prints each number once its
 * transaction has committed, until the parent kills it with SIGKILL mid-write.
 */
import { ModelStore } from './model-store.ts';
import { testBundle, testMetrics } from './test-bundles.ts';

const store = ModelStore.open(process.argv[2]);
for (let v = 1; ; v++) {
  store.saveVersion(testBundle(v, 1 << 16), testMetrics(v));
  process.stdout.write(`${v}\n`);
}
