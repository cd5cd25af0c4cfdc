/** The federation client core, the same in a browser worker and at the edge. */
export { ChorusClient, type ChorusClientOptions } from './chorus-client.ts';
export type { BackendInfo, ClientEvents, ClientSnapshot, ClientState, DataSummary, FailedRound, GlobalRecord, LocalRoundRecord, RoundProgress } from './client-state.ts';
export { memoryStorage, shardCacheKey, serverKey, type ClientIdStore, type ClientStorage, type ShardCache } from './client-storage.ts';
export type { ClientDataSource } from './data-loader.ts';
export { reconnectDelayRange, reconnectPolicy, type ReconnectPolicy } from './socket-connection.ts';
