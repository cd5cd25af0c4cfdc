/** Test-only page: exposes the shared featurizer to the e2e test, which compares its output with Node's. */
import { featurizeForTest, murmur3ForTest } from '../support/featurize-for-test.ts';

declare global {
  interface Window {
    featurizeForTest: typeof featurizeForTest;
    murmur3ForTest: typeof murmur3ForTest;
  }
}

window.featurizeForTest = featurizeForTest;
window.murmur3ForTest = murmur3ForTest;
document.title = 'featurizer ready';
