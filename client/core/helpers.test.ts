import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFloat32 } from '../../shared/model/binary-codec.ts';
import { alignedCopy } from '../../shared/protocol/binary.ts';
import { shardCacheKey } from './client-storage.ts';
import { throttle } from './throttle.ts';
import { encodeDelta, encodeInt32, statsPayload } from './wire-encoding.ts';
import { periodicYield, yieldToEventLoop } from './yield-to-event-loop.ts';

describe('wire encoding', () => {
  it('encodes int32 little-endian byte by byte', () => {
    expect([...encodeInt32(Int32Array.of(1, 258, -1))]).toEqual([1, 0, 0, 0, 2, 1, 0, 0, 255, 255, 255, 255]);
  });

  it('packs sparse document counts as int32 ids and uint32 counts', () => {
    const payload = statsPayload('s1', { numDocs: 7, ids: Int32Array.of(3, 1000), counts: Uint32Array.of(7, 2) });
    expect(payload.roundId).toBe('s1');
    expect(payload.numDocs).toBe(7);
    expect([...new Int32Array(alignedCopy(payload.ids as Uint8Array))]).toEqual([3, 1000]);
    expect([...payload.counts as Uint8Array]).toEqual([7, 0, 0, 0, 2, 0, 0, 0]);
  });

  it('checks the update size against maxUpdateBytes before anything is sent', () => {
    const delta = Float32Array.of(0.5, -1, 2);
    expect(decodeFloat32(encodeDelta(delta, 12), 3)).toEqual(delta);
    expect(() => encodeDelta(delta, 11)).toThrow("update of 12 bytes exceeds the server's limit of 11 bytes; not sent");
    expect(() => encodeDelta(Float32Array.of(1, NaN), 100)).toThrow('update value 1 is not finite (NaN); not sent');
  });
});

describe('shard cache keys', () => {
  it('name server, shard set and shard with file-name-safe characters only', () => {
    expect(shardCacheKey('http://127.0.0.1:8080', undefined, 3)).toBe('127.0.0.1_8080__default__shard-3');
    expect(shardCacheKey('https://chorus.example/x', 'imdb/iid 10', 0)).toBe('chorus.example__imdb_iid_10__shard-0');
  });
});

describe('throttle', () => {
  it('passes the first value, holds later ones within the interval, and flushes the last', () => {
    let now = 0;
    const seen: number[] = [];
    const t = throttle((v: number) => seen.push(v), 100, () => now);
    t.push(1);
    now = 50;
    t.push(2);
    t.push(3);
    expect(seen).toEqual([1]);
    now = 120;
    t.push(4);
    expect(seen).toEqual([1, 4]);
    now = 130;
    t.push(5);
    t.flush();
    t.flush();
    expect(seen).toEqual([1, 4, 5]);
  });
});

describe('periodicYield', () => {
  it('yields to the event loop only after the interval of busy time, letting queued events run', async () => {
    let now = 0;
    const breathe = periodicYield(25, () => now);
    expect(breathe()).toBeUndefined();
    let queuedRan = false;
    setImmediate(() => (queuedRan = true));
    // A microtask-only await (what training on cpu/wasm does between steps) does not let it in...
    await Promise.resolve();
    expect(queuedRan).toBe(false);
    now = 30;
    const pending = breathe();
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    // ...a yield does.
    expect(queuedRan).toBe(true);
    expect(breathe()).toBeUndefined(); // the interval restarts after a yield
  });
});

describe('yieldToEventLoop without setImmediate (browsers, Web Workers)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('yields through a MessageChannel, not a clamped setTimeout', async () => {
    let channels = 0;
    const Original = globalThis.MessageChannel;
    vi.stubGlobal('setImmediate', undefined);
    vi.stubGlobal(
      'MessageChannel',
      class extends Original {
        constructor() {
          super();
          channels++;
        }
      },
    );
    // Node's ports start by themselves once listened to; a browser's needs the start() call, which the browser
    // e2e tests exercise (training in the Web Worker yields this way).
    await expect(yieldToEventLoop()).resolves.toBeUndefined();
    expect(channels).toBe(1);
  });
});
