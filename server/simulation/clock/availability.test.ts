import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Availability, readAvailabilityTrace } from './availability.ts';
import { deviceThroughputs, workSeconds } from './devices.ts';

const exponential = (seed: number) => ({ kind: 'exponential' as const, onMeanSeconds: 600, offMeanSeconds: 600, seed });

describe('Availability (exponential sessions)', () => {
  it('has about half of the clients online at any time with equal means, the same for a seed', () => {
    const a = new Availability(1000, exponential(1));
    const b = new Availability(1000, exponential(1));
    for (const t of [0, 3600, 7200]) {
      const online = Array.from({ length: 1000 }, (_, i) => a.isOnline(i, t));
      expect(online).toEqual(Array.from({ length: 1000 }, (_, i) => b.isOnline(i, t)));
      const share = online.filter(Boolean).length / 1000;
      expect(share).toBeGreaterThan(0.43);
      expect(share).toBeLessThan(0.57);
    }
  });

  it('answers session ends and next online times consistently', () => {
    const a = new Availability(20, exponential(2));
    for (let i = 0; i < 20; i++) {
      const t = 1000;
      const next = a.nextOnline(i, t);
      if (a.isOnline(i, t)) {
        expect(next).toBe(t);
        expect(a.sessionEnd(i, t)).toBeGreaterThan(t);
      } else {
        expect(a.sessionEnd(i, t)).toBe(t);
        expect(next).toBeGreaterThan(t);
        expect(a.isOnline(i, next)).toBe(true);
      }
    }
  });
});

describe('Availability (trace)', () => {
  it('follows the sessions of a trace file, client i on entry i mod n, and refuses a bad one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'chorus-trace-'));
    const good = path.join(dir, 'trace.json');
    await writeFile(good, JSON.stringify({ format: 'chorus-availability', clients: [[[0, 10], [20, 30]], [[5, 6]]] }));
    const a = new Availability(3, { kind: 'trace', trace: await readAvailabilityTrace(good) });
    expect([a.isOnline(0, 0), a.isOnline(1, 0), a.isOnline(2, 0)]).toEqual([true, false, true]);
    expect(a.sessionEnd(0, 5)).toBe(10);
    expect(a.nextOnline(0, 12)).toBe(20);
    expect(a.nextOnline(1, 7)).toBe(Number.POSITIVE_INFINITY);

    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ format: 'chorus-availability', clients: [[[0, 10], [5, 30]]] }));
    await expect(readAvailabilityTrace(bad)).rejects.toThrow(/must not overlap/);
  });
});

describe('devices', () => {
  it('draws throughputs log-uniformly within the spread, the same for a seed', () => {
    const speeds = deviceThroughputs(2000, { speedMax: 1000, speedSpread: 10 }, 3);
    expect(speeds).toEqual(deviceThroughputs(2000, { speedMax: 1000, speedSpread: 10 }, 3));
    expect(Math.min(...speeds)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...speeds)).toBeLessThanOrEqual(1000);
    // Log-uniform: about half of the devices below the geometric middle √(100 · 1000) ≈ 316.
    const below = speeds.filter((s) => s < Math.sqrt(100 * 1000)).length / speeds.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
  });

  it('counts download, training and upload time', () => {
    // 1 MB down at 8 Mbit/s = 1 s; 100 examples × 2 epochs at 100/s = 2 s; 0.5 MB up at 4 Mbit/s = 1 s.
    expect(workSeconds({ examples: 100, epochs: 2, throughput: 100, bytesDown: 1e6, bytesUp: 5e5 }, { downlinkMbps: 8, uplinkMbps: 4 })).toBeCloseTo(4, 12);
  });
});
