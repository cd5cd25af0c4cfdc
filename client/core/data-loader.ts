import type { Example } from '../../shared/data/example.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { cachedExamplesSchema, shardCacheKey, type ShardCache } from './client-storage.ts';
import { LocalDataset } from './local-dataset.ts';
import { request, type ChorusSocket } from './socket-connection.ts';

/** Where a client's examples come from: a demo shard the server assigns (or `shardId` asked for), or the person's own. */
export type ClientDataSource = { source: 'shard'; shardId?: number } | { source: 'own'; examples: Example[] };

export interface ShardLoad {
  socket: ChorusSocket;
  cache: ShardCache;
  serverUrl: string;
  shardSetId: string | undefined;
  shardId: number;
  timeoutMs: number;
}

/**
 * A demo shard from the cache when it holds a valid copy, else from the server (`shard:request`), which is then
 * cached. A cache that fails to read or write only costs a download; it never stops the client.
 */
export async function loadShard(load: ShardLoad): Promise<LocalDataset> {
  const key = shardCacheKey(load.serverUrl, load.shardSetId, load.shardId);
  const cached = cachedExamplesSchema.safeParse(await load.cache.loadShard(key).catch(() => null));
  if (cached.success) return new LocalDataset(cached.data, 'shard', load.shardId, true);
  const reply = await request(
    load.socket,
    'shard:request',
    (s) => s.timeout(load.timeoutMs).emitWithAck('shard:request', { shardId: load.shardId }),
    `shard ${load.shardId}`,
  );
  if (reply.shardId !== load.shardId) throw new ChorusError('INTERNAL', `asked for shard ${load.shardId}, the server sent shard ${reply.shardId}`);
  if (reply.examples.length === 0) throw new ChorusError('INTERNAL', `shard ${load.shardId} is empty`);
  await load.cache.saveShard(key, reply.examples).catch((error: unknown) => {
    console.warn(`could not cache shard ${load.shardId}: ${(error as Error).message}`);
  });
  return new LocalDataset(reply.examples, 'shard', load.shardId, false);
}

/** The person's own examples, checked before anything else happens: they are outside input too. */
export function ownDataset(examples: readonly unknown[]): LocalDataset {
  const parsed = cachedExamplesSchema.safeParse(examples);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`own data is invalid at ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return new LocalDataset(parsed.data, 'own', null, false);
}
