import { sha256Hex } from '../../shared/model/binary-codec.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { CLIENT_SOCKET_HEADER } from '../../shared/protocol/http.ts';

export interface FileRequest {
  /** The server as the client was given it (http(s) or ws(s)); the files are at its HTTP origin. */
  serverUrl: string;
  /** Path and query on that origin (shared/protocol/http.ts builds them). */
  path: string;
  /** The file in messages, e.g. "model v3 weights". */
  what: string;
  /**
   * A file: exactly `bytes`, whose SHA-256 is `sha256` (both from the round's manifest), or it is refused. A diff:
   * at most `maxBytes` (its own contents are verified when it is applied).
   */
  expect: { bytes: number; sha256: string } | { maxBytes: number };
  /** The client's socket id, sent so the server counts the download in its round's traffic (none: not counted). */
  socketId: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** `ws://host/…` → `http://host/…`: socket.io accepts either, fetch only the latter. */
export function httpOrigin(serverUrl: string): string {
  return serverUrl.replace(/^ws(s?):/i, 'http$1:');
}

/**
 * One model file over HTTP, from its immutable, cacheable URL (a browser's HTTP cache may answer it), checked
 * before anything uses it: an error status, a body longer or shorter than the manifest says, or bytes whose
 * SHA-256 is not the manifest's, is refused with a ChorusError naming the file. Read into a buffer of at most the
 * expected size, so a server that sends more cannot make the client hold more. A gzip body (the server compresses
 * where it pays) is inflated by fetch itself; the sizes checked are those of the inflated bytes.
 */
export async function downloadModelFile(req: FileRequest): Promise<Uint8Array> {
  const url = new URL(req.path, httpOrigin(req.serverUrl));
  const { what } = req;
  const limit = 'maxBytes' in req.expect ? req.expect.maxBytes : req.expect.bytes;
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await req.fetch(url, { signal, credentials: 'omit', headers: req.socketId ? { [CLIENT_SOCKET_HEADER]: req.socketId } : {} });
  } catch (error) {
    throw unreachable(what, url, error, timeout, req.signal);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const code = response.status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE';
    throw new ChorusError(code, `${what}: ${url.pathname} answered HTTP ${response.status}`);
  }
  // Content-Length is of the bytes on the wire: compressed ones are fewer (and a cross-origin page cannot see
  // Content-Encoding), so only an announcement over the limit is refused before reading.
  const announced = response.headers.get('content-length');
  if (announced !== null && Number(announced) > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new ChorusError('INTERNAL', `${what} failed verification: the server announced ${announced} bytes, at most ${limit} expected`);
  }
  let body: Uint8Array;
  try {
    body = await readAtMost(response, limit, what);
  } catch (error) {
    if (error instanceof ChorusError) throw error;
    throw unreachable(what, url, error, timeout, req.signal);
  }
  if ('sha256' in req.expect) {
    if (body.byteLength !== req.expect.bytes) throw new ChorusError('INTERNAL', `${what} failed verification: ${body.byteLength} bytes, its manifest says ${req.expect.bytes}`);
    if (sha256Hex(body) !== req.expect.sha256) throw new ChorusError('INTERNAL', `${what} failed verification: its bytes do not match the manifest's SHA-256 (corrupt or mismatched file)`);
  }
  return body;
}

/** The body into a buffer of at most `limit` bytes; more is an error (a padded file), read no further. */
async function readAtMost(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const out = new Uint8Array(limit);
  let filled = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > limit) {
        await reader.cancel().catch(() => undefined);
        throw new ChorusError('INTERNAL', `${what} failed verification: longer than the ${limit} bytes expected`);
      }
      out.set(value, filled);
      filled += value.byteLength;
    }
  }
  return filled === limit ? out : out.slice(0, filled);
}

/** A network failure or timeout: the server may be back later, so UNAVAILABLE (an abort by the round passes through). */
function unreachable(what: string, url: URL, error: unknown, timeout: AbortSignal, round: AbortSignal | undefined): Error {
  if (round?.aborted) return error instanceof Error ? error : new Error(String(error));
  if (timeout.aborted) return new ChorusError('UNAVAILABLE', `${what}: no complete answer from ${url.host} within the timeout`);
  return new ChorusError('UNAVAILABLE', `${what}: cannot fetch ${url.pathname} from ${url.host} (${(error as Error).message})`);
}
