/**
 * The closed set of error codes Chorus returns, in socket.io acks and HTTP bodies alike.
 * Each maps to one HTTP status, so a failure means the same thing on every transport.
 */
export const errorCodes = {
  BAD_REQUEST: 400,
  PROTOCOL_MISMATCH: 426,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  NOT_SELECTED: 409,
  STALE_ROUND: 409,
  WRONG_MODEL_VERSION: 409,
  DUPLICATE_UPDATE: 409,
  INVALID_UPDATE: 422,
  /** A well-formed update whose L2 norm is over the server's bound (bounded aggregation): refused, not averaged. */
  UPDATE_OUT_OF_BOUNDS: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code];
}

/** An error that carries its code across a boundary; servers turn it into an ack or HTTP body. */
export class ChorusError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChorusError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}
