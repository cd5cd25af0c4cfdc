import { createHash } from 'node:crypto';
import type { Example } from '../../../shared/data/example.ts';
import { partition, type PartitionSpecInput } from '../../data/partition/index.ts';

/**
 * The demo shards: the server's training set split over `count` shards, handed to clients that bring no data
 * of their own. A client keeps its shard across reconnects (remembered by client id); a new client gets a shard
 * nobody holds, or, when there are more clients than shards, the least-shared one.
 */
export class ShardPool {
  private readonly shards: Example[][];
  private readonly holders: number[];
  /** The shard of each connected client. */
  private readonly held = new Map<string, number>();
  /**
   * The shards of clients that left, oldest first, to give back if they return. Bounded: in open mode every
   * anonymous visitor brings a fresh client id, and remembering them all would grow the server's memory with every
   * visitor for as long as it runs. 10,000 entries are a few hundred kilobytes.
   */
  private readonly departed = new Map<string, number>();
  /**
   * Names this set of shards (the hash of every shard's texts and labels, in order): clients key their cached
   * shard by it, so a server restarted with other data or another partition never gets a stale shard reused.
   */
  readonly shardSetId: string;

  /** `rememberDeparted`: how many departed clients' shards are kept (the oldest is forgotten first). */
  constructor(train: readonly Example[], count: number, spec: PartitionSpecInput, seed: number, private readonly rememberDeparted = 10_000) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`the number of shards must be a whole number >= 1, got ${count}`);
    if (train.length < count) throw new Error(`cannot split ${train.length} training examples into ${count} shards; use fewer --shards`);
    const parts = partition(Uint8Array.from(train, (e) => e.label), count, spec, seed);
    this.shards = parts.map((indices) => indices.map((i) => train[i]));
    this.holders = new Array<number>(count).fill(0);
    this.shardSetId = digest(this.shards);
  }

  get count(): number {
    return this.shards.length;
  }

  size(shardId: number): number {
    return this.shards[shardId]?.length ?? 0;
  }

  examples(shardId: number): readonly Example[] {
    const shard = this.shards[shardId];
    if (!shard) throw new RangeError(`no shard ${shardId} (there are ${this.count})`);
    return shard;
  }

  /** Gives `clientId` a shard: `preferred` if asked (it must exist), else its previous one, else the least held. */
  assign(clientId: string, preferred?: number): number {
    if (preferred !== undefined && !(Number.isInteger(preferred) && preferred >= 0 && preferred < this.count)) {
      throw new RangeError(`shard ${preferred} does not exist: this server has shards 0 to ${this.count - 1}`);
    }
    const shardId = preferred ?? this.held.get(clientId) ?? this.departed.get(clientId) ?? this.leastHeld();
    this.holders[shardId]++;
    this.departed.delete(clientId);
    this.held.set(clientId, shardId);
    return shardId;
  }

  /**
   * The client left: its shard counts as free for newcomers; the client still gets it back if it returns before
   * `rememberDeparted` others have left after it.
   */
  release(clientId: string): void {
    const shardId = this.held.get(clientId);
    if (shardId === undefined) return;
    this.held.delete(clientId);
    if (this.holders[shardId] > 0) this.holders[shardId]--;
    this.departed.set(clientId, shardId);
    if (this.departed.size > this.rememberDeparted) this.departed.delete(this.departed.keys().next().value as string);
  }

  /** Clients whose shard is remembered (connected ones and departed ones), for the tests of its bound. */
  get rememberedCount(): number {
    return this.held.size + this.departed.size;
  }

  holderCounts(): readonly number[] {
    return this.holders;
  }

  private leastHeld(): number {
    let best = 0;
    for (let i = 1; i < this.holders.length; i++) if (this.holders[i] < this.holders[best]) best = i;
    return best;
  }
}

function digest(shards: readonly Example[][]): string {
  const hash = createHash('sha256');
  shards.forEach((shard, i) => {
    hash.update(`shard ${i} ${shard.length}\n`);
    for (const e of shard) hash.update(`${e.label} ${e.text.length} ${e.text}\n`);
  });
  return hash.digest('hex').slice(0, 32);
}
