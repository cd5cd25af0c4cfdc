import type { PrgName } from './prg.ts';
import type { RingInput } from './ring-input.ts';

/**
 * The values secure aggregation's stages exchange (Bonawitz et al. 2017, with SecAgg+'s neighbourhoods). Clients
 * are known to each other only by their position in the round's cohort (0 … n − 1), never by client id; a position p
 * holds Shamir shares at x = p + 1. The wire schemas for these are in shared/protocol/secagg.ts.
 */

/** Stage 0, client → server: this round's two public keys and the mask generators the client can run. */
export interface AdvertisedKeys {
  maskPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
  prgs: PrgName[];
}

/** A neighbour as the server introduces it: its position and public keys. */
export interface Neighbour {
  position: number;
  maskPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
}

/** Server → client, once the cohort is known: who the client's neighbours are and the round's parameters. */
export interface RoundSetup {
  prg: PrgName;
  /** Clients in the cohort (those whose keys arrived): sizes the ring and is checked against the client's minimum. */
  cohortSize: number;
  /** What the round sums (a clipped update in fixed point, or document counts) and the bound that keeps it from wrapping. */
  input: RingInput;
  threshold: number;
  position: number;
  neighbours: Neighbour[];
}

/** Stage 1, client → server: shares for one neighbour, sealed for it (share-box.ts). */
export interface SealedShares {
  to: number;
  envelope: Uint8Array;
}

/** Server → client: the sealed shares its neighbours sent it. Their senders are the neighbours that go on. */
export interface InboundShares {
  from: number;
  envelope: Uint8Array;
}

/** Stage 3, server → client: who sent a masked input (survivors) and which sharers did not (dropped). */
export interface UnmaskRequest {
  survivors: number[];
  dropped: number[];
}

/** Stage 3, client → server: a share it holds of one neighbour's self-mask seed (a survivor) or mask key (dropped). */
export interface RevealedShare {
  of: number;
  kind: 'self-mask' | 'mask-key';
  y: Uint8Array;
}
