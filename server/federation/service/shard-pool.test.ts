import { describe, expect, it } from 'vitest';
import type { Example } from '../../../shared/data/example.ts';
import { ShardPool } from './shard-pool.ts';

const examples: Example[] = Array.from({ length: 30 }, (_, i) => ({ text: `review ${i}`, label: (i % 2) as 0 | 1 }));

describe('ShardPool', () => {
  it('splits every training example into exactly one shard', () => {
    const pool = new ShardPool(examples, 3, { kind: 'iid' }, 1);
    const all = [0, 1, 2].flatMap((s) => pool.examples(s).map((e) => e.text));
    expect([0, 1, 2].map((s) => pool.size(s))).toEqual([10, 10, 10]);
    expect(new Set(all).size).toBe(30);
  });

  it('hands out free shards first, then the least shared, lowest id on ties', () => {
    const pool = new ShardPool(examples, 3, { kind: 'iid' }, 1);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => pool.assign(id))).toEqual([0, 1, 2, 0, 1]);
    expect(pool.holderCounts()).toEqual([2, 2, 1]);
  });

  it('honours a requested shard and refuses one that does not exist', () => {
    const pool = new ShardPool(examples, 3, { kind: 'iid' }, 1);
    expect(pool.assign('edge-1', 2)).toBe(2);
    expect(() => pool.assign('edge-2', 3)).toThrow('shard 3 does not exist: this server has shards 0 to 2');
    expect(pool.holderCounts()).toEqual([0, 0, 1]);
  });

  it('gives a returning client its shard back, and a freed shard to a newcomer', () => {
    const pool = new ShardPool(examples, 2, { kind: 'iid' }, 1);
    expect(pool.assign('a')).toBe(0);
    expect(pool.assign('b')).toBe(1);
    pool.release('a');
    expect(pool.holderCounts()).toEqual([0, 1]);
    expect(pool.assign('c')).toBe(0);
    pool.release('c');
    expect(pool.assign('a')).toBe(0);
  });

  it('forgets the oldest departed clients beyond its bound, never a connected one', () => {
    const pool = new ShardPool(examples, 3, { kind: 'iid' }, 1, 2);
    expect(pool.assign('stays')).toBe(0);
    for (const id of ['a', 'b', 'c', 'd']) {
      pool.assign(id, 2);
      pool.release(id);
    }
    // 'stays' and the last two to leave ('c', 'd'): 'a' and 'b' were forgotten.
    expect(pool.rememberedCount).toBe(3);
    expect(pool.holderCounts()).toEqual([1, 0, 0]);
    expect(pool.assign('d')).toBe(2);
    expect(pool.assign('b')).toBe(1);
    // A second release of the same client frees nothing more.
    pool.release('stays');
    pool.release('stays');
    expect(pool.holderCounts()).toEqual([0, 1, 1]);
  });

  it('names the shard set by its contents: the same data and seed give the same id, another seed another', () => {
    const id = new ShardPool(examples, 3, { kind: 'iid' }, 1).shardSetId;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new ShardPool(examples, 3, { kind: 'iid' }, 1).shardSetId).toBe(id);
    expect(new ShardPool(examples, 3, { kind: 'iid' }, 2).shardSetId).not.toBe(id);
    expect(new ShardPool(examples, 2, { kind: 'iid' }, 1).shardSetId).not.toBe(id);
  });

  it('skews labels with a Dirichlet partition', () => {
    const many: Example[] = Array.from({ length: 400 }, (_, i) => ({ text: `r${i}`, label: (i % 2) as 0 | 1 }));
    const pool = new ShardPool(many, 4, { kind: 'dirichlet', alpha: 0.1 }, 3);
    const positiveShare = [0, 1, 2, 3].map((s) => pool.examples(s).filter((e) => e.label === 1).length / pool.size(s));
    expect(Math.max(...positiveShare) - Math.min(...positiveShare)).toBeGreaterThan(0.5);
  });

  it('refuses more shards than examples', () => {
    expect(() => new ShardPool(examples.slice(0, 2), 3, { kind: 'iid' }, 1)).toThrow('cannot split 2 training examples into 3 shards; use fewer --shards');
  });
});
