/**
 * The one import of TensorFlow.js core in Chorus. Importing tfjs-core alone registers no gradients, so training
 * would fail ("gradient function not found"). `#tfjs-gradients` (package.json "imports") registers them: in the
 * browser from tfjs-core's ESM module; in Node from the `@tensorflow/tfjs` bundle, because Node cannot load
 * tfjs-core's extensionless ESM files.
 */
import '#tfjs-gradients';

export * from '@tensorflow/tfjs-core';
