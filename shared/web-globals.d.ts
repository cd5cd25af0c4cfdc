/**
 * The web-platform globals that shared/ may use, and only the members it uses. shared/ is type-checked with no DOM
 * lib and no Node types (shared/tsconfig.json) so that nothing runtime-specific slips in; these few are the
 * exception because browsers, Web Workers and Node >= 20 all provide them with the same behaviour.
 * Only shared/tsconfig.json includes this file: elsewhere the DOM lib or @types/node declare the full APIs.
 */

/** WHATWG Encoding: UTF-8 bytes of a string (the hashed n-grams are hashed over UTF-8). */
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

/** High Resolution Time: a monotonic clock for training-time figures. */
declare var performance: { now(): number };

/** DOM AbortSignal, as a caller's way to stop local training between steps. */
interface AbortSignal {
  readonly aborted: boolean;
}

/** DOM AbortController: the training-throughput measurement stops trainLocal through its signal. */
declare class AbortController {
  readonly signal: AbortSignal;
  abort(): void;
}
