import { ChorusError } from '../protocol/errors.ts';

/**
 * Why a payload was refused. The server counts refusals by these words (a federation that sees many `out-of-range`
 * refusals has a hostile or broken client, one with many `not-accepted` an old one), so they are a closed set.
 */
export const codecRejectionReasons = [
  'short',
  'long',
  'bad-header',
  'unknown-codec',
  'not-accepted',
  'wrong-length',
  'out-of-range',
  'unsorted-ids',
  'not-finite',
  'bad-scale',
] as const;

export type CodecRejectionReason = (typeof codecRejectionReasons)[number];

/** A refused update payload: INVALID_UPDATE on every transport, with the reason kept for the server's counts. */
export class CodecError extends ChorusError {
  constructor(
    readonly reason: CodecRejectionReason,
    message: string,
  ) {
    super('INVALID_UPDATE', message);
    this.name = 'CodecError';
  }
}
