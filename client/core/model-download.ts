import { sha256Hex } from '../../shared/model/binary-codec.ts';
import { ChorusError } from '../../shared/protocol/errors.ts';
import { CLIENT_SOCKET_HEADER, modelFilePath, type ModelFileName } from '../../shared/protocol/http.ts';

export interface FileRequest {
  /** The server as the client was given it (http(s) or ws(s)); the files are at its HTTP origin. */
  serverUrl: string;
  version: number;
  file: ModelFileName;
  /** Exactly this many bytes, whose SHA-256 is `sha256` (both from the round's manifest), or the file is refused. */
  bytes: number;
  sha256: string;
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
 * SHA-256 is not the manifest's, is refused with a ChorusError naming the file. Read into one buffer of the
 * expected size, so a server that sends more cannot make the client hold more.
 */
export async function downloadModelFile(req: FileRequest): Promise<Uint8Array> {
  const url = new URL(modelFilePath(req.version, req.file), httpOrigin(req.serverUrl));
  const what = `model v${req.version} ${req.file}`;
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
  const announced = response.headers.get('content-length');
  if (announced !== null && Number(announced) !== req.bytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ChorusError('INTERNAL', `${what} failed verification: the server announced ${announced} bytes, the manifest says ${req.bytes}`);
  }
  let body: Uint8Array;
  try {
    body = await readExactly(response, req.bytes, what);
  } catch (error) {
    if (error instanceof ChorusError) throw error;
    throw unreachable(what, url, error, timeout, req.signal);
  }
  if (sha256Hex(body) !== req.sha256) throw new ChorusError('INTERNAL', `${what} failed verification: its bytes do not match the manifest's SHA-256 (corrupt or mismatched file)`);
  return body;
}

/** The body into a buffer of `expected` bytes; more or fewer is an error (a truncated or padded file). */
async function readExactly(response: Response, expected: number, what: string): Promise<Uint8Array> {
  const out = new Uint8Array(expected);
  let filled = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > expected) {
        await reader.cancel().catch(() => undefined);
        throw new ChorusError('INTERNAL', `${what} failed verification: longer than the ${expected} bytes its manifest says`);
      }
      out.set(value, filled);
      filled += value.byteLength;
    }
  }
  if (filled !== expected) throw new ChorusError('INTERNAL', `${what} failed verification: ${filled} bytes, its manifest says ${expected}`);
  return out;
}

/** A network failure or timeout: the server may be back later, so UNAVAILABLE (an abort by the round passes through). */
function unreachable(what: string, url: URL, error: unknown, timeout: AbortSignal, round: AbortSignal | undefined): Error {
  if (round?.aborted) return error instanceof Error ? error : new Error(String(error));
  if (timeout.aborted) return new ChorusError('UNAVAILABLE', `${what}: no complete answer from ${url.host} within the timeout`);
  return new ChorusError('UNAVAILABLE', `${what}: cannot fetch ${url.pathname} from ${url.host} (${(error as Error).message})`);
}
