import { describe, expect, it } from 'vitest';
import { clientsPerRound } from './clients-per-round.ts';

describe('clientsPerRound', () => {
  it('samples ⌈fraction × available⌉, at least minClients, at most everyone available', () => {
    expect(clientsPerRound(100, 0.1, 1)).toBe(10);
    expect(clientsPerRound(3, 0.5, 1)).toBe(2);
    expect(clientsPerRound(100, 0.1, 25)).toBe(25);
    expect(clientsPerRound(4, 0.1, 10)).toBe(4);
    expect(clientsPerRound(0, 0.5, 2)).toBe(0);
  });

  it('gives the decimal answer where the binary product lands just above a whole number', () => {
    expect(0.07 * 100).toBeGreaterThan(7); // 7.000000000000001
    expect(clientsPerRound(100, 0.07, 1)).toBe(7);
    expect(clientsPerRound(200, 0.07, 1)).toBe(14);
  });

  it('refuses a fraction outside (0, 1]', () => {
    expect(() => clientsPerRound(10, 0, 1)).toThrow(/fraction must be in \(0, 1\]/);
    expect(() => clientsPerRound(10, 1.5, 1)).toThrow(RangeError);
  });
});
