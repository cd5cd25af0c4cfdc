/**
 * Chorus's import boundaries, checked by `npm run check:boundaries` (dependency-cruiser) in `.ci/run`.
 * README.md ("Boundaries") explains them in prose. Type checks enforce the runtime half of the same rules: each
 * folder's tsconfig.json gives it only the globals of the runtime it runs on (shared/: no DOM, no Node).
 *
 * The parts:
 *   shared/        isomorphic code: runs unchanged in browsers, Web Workers and Node (model, featurizer, protocol)
 *   client/        the federation client: browser parts (browser, dashboard, widget, pages), the core they share
 *                  with the edge client (core), and the Node edge client (edge)
 *   server/        the aggregation server and the `chorus` CLI (Node)
 *   bench/, e2e/   test code: benchmarks and browser tests that drive the whole system
 *
 * Test support (test files, fixtures, `testing/` and `test-support` modules) may reach further than production
 * code, but production code never imports it.
 */

/** Test files and the helpers only tests use. */
const TEST_CODE = [
  '[.]test[.]ts$',
  '[.]fixture[.]ts$',
  '(^|/)test-fixtures[.]ts$',
  '(^|/)test-support([.]ts$|/)',
  '(^|/)testing/',
  '^(bench|e2e)/',
];

/** The edge client's one public entry: what `chorus client`, the socket simulation and the tests use of it. */
const EDGE_ENTRY = '^client/edge/index[.]ts$';

/**
 * npm packages that shared/ may import: each runs unchanged in browsers and Node, and its typings bring in neither
 * @types/node nor the DOM (checked with shared/tsconfig.json). A package outside this list could carry Node or DOM
 * typings past shared/'s type check, or need a runtime the browser lacks (express, better-sqlite3, socket.io).
 */
const ISOMORPHIC_PACKAGES = [
  'zod',
  '@noble/hashes',
  // X25519 and the Shamir field (curves), ChaCha20 and XChaCha20-Poly1305 (ciphers), for secure aggregation.
  '@noble/curves',
  '@noble/ciphers',
  // tfjs core and the two backends that need no GPU; the browser bundle registers them too.
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  // The socket.io client runs in browsers and in the edge client; its types suit a shared event map.
  'socket.io-client',
  // erfcx (scaled complementary error function), for the privacy accountant's log erfc: plain JavaScript.
  '@stdlib/math-base-special-erfcx',
];

/** Matches a resolved npm path under node_modules/ for any of the named packages. */
function packagesPattern(names) {
  return `^node_modules/(${names.map((name) => name.replace(/[.]/g, '[.]')).join('|')})/`;
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-only-shared',
      comment:
        'shared/ is the isomorphic core every other part builds on; importing server/, client/ or test drivers ' +
        'from it would drag their runtime (Node, the DOM) into the browser bundle and the edge client, and make ' +
        'a cycle between the parts.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|client|bench|e2e)/' },
    },
    {
      name: 'shared-no-node-builtins',
      comment:
        'shared/ runs in browsers and Web Workers too, where node:fs, node:crypto and friends do not exist. ' +
        'Tests of shared code run in Node only, so they may.',
      severity: 'error',
      from: { path: '^shared/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-isomorphic-packages',
      comment:
        'shared/ may import only npm packages known to run in both browsers and Node (ISOMORPHIC_PACKAGES in ' +
        'this file); add one there, with its reason, after checking it. Subpath imports (`#tfjs-gradients`, ' +
        'package.json "imports") are exempt: they name a browser module and a Node module themselves.',
      severity: 'error',
      from: { path: '^shared/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        dependencyTypesNot: ['aliased-subpath-import'],
        pathNot: packagesPattern(ISOMORPHIC_PACKAGES),
      },
    },
    {
      name: 'client-imports-only-client-and-shared',
      comment:
        'The client talks to the server over HTTP and socket.io only, with the schemas in shared/protocol; ' +
        'importing server code would ship server internals (and Node) to browsers, or couple the edge client to ' +
        "the server's internals.",
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|bench|e2e)/' },
    },
    {
      name: 'browser-client-no-node-builtins',
      comment:
        'The browser parts (browser, dashboard, widget, pages) and the core they share with the edge client run ' +
        'in browsers: no Node built-ins. Only client/edge runs in Node. Their tests run in Node and may.',
      severity: 'error',
      from: { path: '^client/', pathNot: ['^client/edge/', ...TEST_CODE] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-client-not-edge',
      comment: 'client/edge is Node code (files, processes); the browser parts and the core must not pull it into a bundle.',
      severity: 'error',
      from: { path: '^client/', pathNot: ['^client/edge/', ...TEST_CODE] },
      to: { path: '^client/edge/' },
    },
    {
      name: 'edge-client-through-its-entry',
      comment:
        'Outside client/edge, the edge client is used through client/edge/index.ts only (by `chorus client`, the ' +
        'socket simulation and the tests), so its internals can change without breaking the server.',
      severity: 'error',
      from: { pathNot: '^client/edge/' },
      to: { path: '^client/edge/', pathNot: EDGE_ENTRY },
    },
    {
      name: 'server-uses-client-only-through-the-edge-entry',
      comment:
        'The server talks to clients over the network; the one client code it runs in-process is the edge ' +
        'client (`chorus client`, socket simulations), through its entry. Server tests may also use the ' +
        "client's test support (a fake server, test data) in client/core/test-support.",
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^client/', pathNot: [EDGE_ENTRY, '^client/core/test-support/'] },
    },
    {
      name: 'server-client-test-support-in-tests-only',
      comment: "The client's test support is for tests: server production code never imports it.",
      severity: 'error',
      from: { path: '^server/', pathNot: TEST_CODE },
      to: { path: '^client/core/test-support/' },
    },
    {
      name: 'cli-is-the-top',
      comment:
        'server/cli turns command lines into calls of the modules below it; only bin/chorus.js imports it. bench/ and ' +
        'e2e/ run `chorus` as a person would, through bin/chorus.js (startEdgeProcess in ' +
        'server/serve/testing/edge-process.ts). Otherwise test code may import shared/, server/ and client/ ' +
        'modules (the edge client through its entry): testing them is its job.',
      severity: 'error',
      from: { pathNot: ['^server/cli/', '^bin/chorus[.]js$'] },
      to: { path: '^server/cli/' },
    },
    {
      name: 'server-transports-side-by-side',
      comment:
        'server/http (REST) and server/socket (socket.io) are two doors onto the same federation service; what ' +
        'both need (e.g. formatting zod issues) lives in shared/ or below them, not in one of the two.',
      severity: 'error',
      from: { path: '^server/(http|socket)/' },
      to: { path: '^server/(http|socket)/', pathNot: '^server/$1/' },
    },
    {
      name: 'production-never-imports-test-code',
      comment:
        'Test files, fixtures and test support (including bench/ and e2e/) stay out of what ships: a production ' +
        'import of them would bundle test data or fake servers into the product.',
      severity: 'error',
      from: { path: '^(shared|client|server)/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'not-to-test-files',
      comment: 'A *.test.ts file is a test, never a library: helpers that several tests share go in test support.',
      severity: 'error',
      from: {},
      to: { path: '[.]test[.]ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file is broken (a moved module, a missing package).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-packages',
      comment:
        'Every npm package imported must be declared in package.json, or a fresh `npm ci` may lack it. Subpath ' +
        'imports (`#tfjs-gradients`) resolve through package.json "imports" to declared packages.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['aliased-subpath-import'] },
    },
  ],
  options: {
    // The project's own code (the folders named on the command line); npm packages are leaves. No `includeOnly`:
    // it would also drop Node built-ins (`node:fs`) from the graph, and with them the rules about them.
    doNotFollow: { path: '^node_modules' },
    // `import type` counts too: a type import across a boundary is still a coupling (and can pull in typings).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Catches `process.getBuiltinModule('fs')`, which no import statement shows.
    detectProcessBuiltinModuleCalls: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
