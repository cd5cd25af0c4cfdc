import { z } from 'zod';
import type { Example } from '../../shared/data/example.ts';

/**
 * Where a client keeps what should survive a reload or restart. Injected, because the core knows neither
 * IndexedDB (browser) nor the file system (edge): the browser and edge folders implement these.
 */
export interface ClientIdStore {
  /** The id this client had with the server at `serverKey`, or null on first contact. */
  loadClientId(serverKey: string): Promise<string | null>;
  saveClientId(serverKey: string, clientId: string): Promise<void>;
}

/** Demo shards, fetched once from the server and then kept: a reconnect or reload does not download them again. */
export interface ShardCache {
  loadShard(key: string): Promise<Example[] | null>;
  saveShard(key: string, examples: Example[]): Promise<void>;
}

export type ClientStorage = ClientIdStore & ShardCache;

/** The validated form of a cached shard: a corrupt or foreign cache entry is refetched, never trained on. */
export const cachedExamplesSchema = z
  .array(z.object({ text: z.string(), label: z.union([z.literal(0), z.literal(1)]) }))
  .min(1, 'a cached shard holds at least one example');

/**
 * The cache key of a demo shard: which server (origin), which dataset/partition (when the server names one) and
 * which shard. Only characters that are safe in file names, so the edge cache can use it directly.
 */
export function shardCacheKey(serverUrl: string, shardSetId: string | undefined, shardId: number): string {
  const origin = new URL(serverUrl).host;
  const parts = [origin, shardSetId ?? 'default', `shard-${shardId}`];
  return parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_')).join('__');
}

/** The key clientIds are stored under: one identity per server. */
export function serverKey(serverUrl: string): string {
  return new URL(serverUrl).host;
}

/** Keeps everything in memory: for tests, and for edge clients run without a cache directory. */
export function memoryStorage(): ClientStorage & { shardLoads: number; shardSaves: number } {
  const ids = new Map<string, string>();
  const shards = new Map<string, Example[]>();
  return {
    shardLoads: 0,
    shardSaves: 0,
    async loadClientId(key) {
      return ids.get(key) ?? null;
    },
    async saveClientId(key, id) {
      ids.set(key, id);
    },
    async loadShard(key) {
      this.shardLoads++;
      return shards.get(key) ?? null;
    },
    async saveShard(key, examples) {
      this.shardSaves++;
      shards.set(key, examples);
    },
  };
}
