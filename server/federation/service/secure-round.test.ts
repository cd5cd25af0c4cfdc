import { describe, expect, it } from 'vitest';
import { SecaggClientSession } from '../../../shared/secagg/client-session.ts';
import { SecureRound } from './secure-round.ts';
import { wireBytes } from '../../../shared/protocol/secagg.ts';

/** A session's keys and sealed shares as the wire schemas type them. */
function keysOf(session: SecaggClientSession, roundId = 'r1') {
  const keys = session.advertise();
  return { roundId, maskPublicKey: wireBytes(keys.maskPublicKey), boxPublicKey: wireBytes(keys.boxPublicKey), prgs: keys.prgs as string[] };
}

describe('SecureRound: what the server accepts at each stage', () => {
  it('takes keys only from selected clients, once, in the keys stage; forms no cohort below the minimum', () => {
    const round = new SecureRound('r1', ['a', 'b', 'c'], { minCohort: 3, input: { kind: 'fixed-point', clipNorm: 10 } }, 4);
    round.addKeys('a', keysOf(new SecaggClientSession('r1', 3, crypto)));
    expect(() => round.addKeys('a', keysOf(new SecaggClientSession('r1', 3, crypto)))).toThrow(/already sent/);
    expect(() => round.addKeys('z', keysOf(new SecaggClientSession('r1', 3, crypto)))).toThrow(/not in round/);
    expect(() => round.addKeys('b', keysOf(new SecaggClientSession('r1', 3, crypto), 'r0'))).toThrow(/not open/);
    expect(() => round.addKeys('b', { ...keysOf(new SecaggClientSession('r1', 3, crypto)), prgs: ['rot13'] })).toThrow(/none of the mask generators/);
    round.addKeys('b', keysOf(new SecaggClientSession('r1', 3, crypto)));
    expect(round.formCohort(() => true, crypto)).toBeNull();
    expect(round.stage).toBe('done');
  });

  it('checks shares, masked inputs and reveals against the cohort and the stage', () => {
    const sessions = ['a', 'b', 'c'].map(() => new SecaggClientSession('r1', 3, crypto));
    const round = new SecureRound('r1', ['a', 'b', 'c'], { minCohort: 3, input: { kind: 'fixed-point', clipNorm: 10 } }, 4);
    ['a', 'b', 'c'].forEach((id, i) => round.addKeys(id, keysOf(sessions[i])));
    const plan = round.formCohort(() => true, crypto);
    expect(plan?.setups.map((s) => s.neighbours.length)).toEqual([2, 2, 2]);
    const sealed = sessions.map((s, i) => s.shareKeys(plan!.setups[i]).map((x) => ({ to: x.to, envelope: wireBytes(x.envelope) })));
    expect(() => round.addShares('a', { roundId: 'r1', shares: sealed[0].slice(0, 1) })).toThrow(/each neighbour exactly once/);
    round.addShares('a', { roundId: 'r1', shares: sealed[0] });
    expect(() => round.addShares('a', { roundId: 'r1', shares: sealed[0] })).toThrow(/already sent/);
    round.addShares('b', { roundId: 'r1', shares: sealed[1] });
    // c never shares: it is not delivered to, and may not send a masked input.
    const deliveries = round.deliveries((id) => id !== 'c');
    expect([...deliveries.keys()].sort()).toEqual([0, 1]);
    expect(deliveries.get(0)?.map((s) => s.from)).toEqual([1]);
    expect(() => round.checkMasked('c', 'r1', new Uint8Array(16))).toThrow(/did not take part/);
    expect(() => round.checkMasked('a', 'r1', new Uint8Array(12))).toThrow(/expected 16 bytes/);
    expect(() => round.addShares('c', { roundId: 'r1', shares: sealed[2] })).toThrow(/past that stage/);
    round.addMasked(round.checkMasked('a', 'r1', new Uint8Array(16)), new Uint8Array(16));
    expect(() => round.checkMasked('a', 'r1', new Uint8Array(16))).toThrow(/already sent/);
    // One masked input is below the minimum of 3: no unmask request, the round is over.
    expect(round.unmaskRequest()).toBeNull();
    expect(() => round.addReveal('a', { roundId: 'r1', shares: [] })).toThrow(/past that stage/);
  });
});
