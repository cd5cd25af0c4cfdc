/**
 * The edge client's public entry: the one module of client/ that code outside it imports (.dependency-cruiser.cjs
 * enforces it). `chorus client` (server/cli/commands/client.ts), the simulation's socket transport and the tests
 * run edge clients through it; everything else in client/edge is free to change.
 */
export { runEdgeClient, type EdgeClientHandle, type EdgeClientOptions, type EdgeRunSummary } from './run-edge-client.ts';
export type { LocalRoundRecord } from '../core/client-state.ts';
export type { ClientDataSource } from '../core/data-loader.ts';
/** How clients fetch the model (over HTTP, only what they do not hold): for test clients that script the protocol. */
export { ModelKeeper, type ModelSource } from '../core/model-keeper.ts';
