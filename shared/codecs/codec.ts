import type { DeltaLayout } from './layout.ts';

/** What an encoder may be given; each codec reads the options it has and ignores the rest. */
export interface EncodeOptions {
  /**
   * Uniform numbers in [0, 1) for stochastic rounding (int8 codecs). Injected so a simulation is seeded; a
   * browser or edge client may pass Math.random (the rounding needs no secrecy, only independence).
   */
  random?: () => number;
  /** Values per int8 block, each with its own scale (default 256). */
  blockSize?: number;
  /** Share of the values top-k sends (default 0.01). */
  topKFraction?: number;
  /** Top-k's error feedback: what earlier rounds did not send, kept by the client and updated by the encoder. */
  residual?: { values: Float32Array | null };
  /**
   * Rows outside which the delta is zero, ascending (sparse local training's `rows`): the sparse codecs look only
   * at these instead of scanning every row. A hint from the client's own trainer; never from the network.
   */
  rows?: Uint32Array;
}

/**
 * One uplink codec. `encode` writes its body at `reserve` (the header's room, filled by the caller) into a fresh
 * buffer; `decode` reads a body whose header was already checked, and throws CodecError on anything malformed.
 */
export interface UplinkCodec {
  readonly name: string;
  /** The header's codec id: fixed forever once released (a decoder meets payloads from older clients). */
  readonly id: number;
  /** Whether decoding gives back the delta exactly. */
  readonly lossless: boolean;
  encode(delta: Float32Array, layout: DeltaLayout, options: EncodeOptions, reserve: number): Uint8Array<ArrayBuffer>;
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array;
}
