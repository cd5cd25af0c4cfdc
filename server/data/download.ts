import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DataError, errorMessage } from './errors.ts';
import { IMDB_ARCHIVE_NAME } from './source.ts';

export const IMDB_URL = 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz';
/** Published sha256 of the official 84,125,825-byte archive (as in TensorFlow Datasets' imdb_reviews checksums). */
export const IMDB_SHA256 = 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe';

export interface DownloadOptions {
  cacheDir: string;
  url?: string;
  sha256?: string;
  /** Name of the file in the cache; defaults to the name `resolveDataPath` looks for. */
  fileName?: string;
  onProgress?(received: number, total: number | null): void;
  fetchImpl?: typeof fetch;
  /** Give up when no bytes arrive for this long, instead of hanging on a stalled connection. */
  idleTimeoutMs?: number;
}

const sha256Schema = z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits');

/**
 * Downloads the IMDB archive into the cache and returns its path. Bytes go to `<file>.part` first, so an
 * interrupted download resumes with an HTTP Range request next time; the file is renamed into place
 * only once its sha256 matches, so the cache never holds a damaged archive under the real name.
 */
export async function downloadImdb(opts: DownloadOptions): Promise<string> {
  const url = opts.url ?? IMDB_URL;
  const expected = sha256Schema.parse(opts.sha256 ?? IMDB_SHA256).toLowerCase();
  const finalPath = join(opts.cacheDir, opts.fileName ?? IMDB_ARCHIVE_NAME);
  try {
    await mkdir(opts.cacheDir, { recursive: true });
  } catch (error) {
    throw new DataError(opts.cacheDir, `cannot create cache folder (${errorMessage(error)})`, { cause: error });
  }
  if ((await sizeOf(finalPath)) !== null && (await sha256OfFile(finalPath)) === expected) return finalPath;

  const partPath = `${finalPath}.part`;
  const actual = await fetchIntoPart({ ...opts, url, partPath, expected }, true);
  if (actual !== expected) {
    await rm(partPath, { force: true });
    throw new DataError(
      finalPath,
      `checksum mismatch: expected sha256 ${expected}, got ${actual}; the download was deleted, run the command again`,
    );
  }
  await rename(partPath, finalPath);
  return finalPath;
}

interface FetchJob extends DownloadOptions {
  url: string;
  partPath: string;
  expected: string;
}

/** Fetches the rest of the `.part` file (or all of it) and returns the sha256 of the whole file. */
async function fetchIntoPart(job: FetchJob, mayRestart: boolean): Promise<string> {
  const have = (await sizeOf(job.partPath)) ?? 0;
  const controller = new AbortController();
  const idle = idleTimer(controller, job.idleTimeoutMs ?? 60_000);
  try {
    const response = await request(job, have > 0 ? { Range: `bytes=${have}-` } : {}, controller.signal);
    const restart = async (): Promise<string> => {
      await response.body?.cancel().catch(() => {});
      await rm(job.partPath, { force: true });
      return fetchIntoPart(job, false);
    };
    if (have > 0 && response.status === 416) {
      // Nothing left past our offset: the part may already be whole (e.g. we stopped before renaming).
      await response.body?.cancel().catch(() => {});
      const hash = await sha256OfFile(job.partPath);
      if (hash === job.expected || !mayRestart) return hash;
      return restart();
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new DataError(job.url, `download failed: HTTP ${response.status} ${response.statusText}`.trim());
    }
    let offset = 0;
    let total = parseLength(response.headers.get('content-length'));
    if (have > 0 && response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== have) {
        if (mayRestart) return restart();
        throw new DataError(job.url, 'server sent a byte range that does not continue the partial download');
      }
      offset = have;
      total = range.total;
    }
    // Status 200 after a Range request means the server ignored it: the body is the whole file, so start over.
    const hash = createHash('sha256');
    if (offset > 0) await hashFileInto(job.partPath, hash);
    await streamBody(job, response, hash, offset, total, idle);
    return hash.digest('hex');
  } catch (error) {
    if (error instanceof DataError) throw error;
    const reason = controller.signal.aborted ? 'no data received for too long' : describeFetchError(error);
    throw new DataError(job.url, `download interrupted (${reason}); run the command again to resume`, { cause: error });
  } finally {
    idle.stop();
  }
}

async function streamBody(
  job: FetchJob,
  response: Response,
  hash: Hash,
  offset: number,
  total: number | null,
  idle: { touch(): void },
): Promise<void> {
  const file = await open(job.partPath, offset > 0 ? 'a' : 'w');
  let received = offset;
  try {
    job.onProgress?.(received, total);
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        idle.touch();
        hash.update(value);
        await file.write(value);
        received += value.length;
        job.onProgress?.(received, total);
      }
    }
  } finally {
    await file.close();
  }
  if (total !== null && received !== total) {
    throw new DataError(job.url, `download incomplete: got ${received} of ${total} bytes; run the command again to resume`);
  }
}

async function request(job: FetchJob, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  const fetchImpl = job.fetchImpl ?? fetch;
  try {
    return await fetchImpl(job.url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    throw new DataError(job.url, `could not connect (${describeFetchError(error)})`, { cause: error });
  }
}

function describeFetchError(error: unknown): string {
  // Node's fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause ? `${errorMessage(error)}: ${errorMessage(cause)}` : errorMessage(error);
}

function idleTimer(controller: AbortController, ms: number): { touch(): void; stop(): void } {
  let timer = setTimeout(() => controller.abort(), ms);
  return {
    touch() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), ms);
    },
    stop: () => clearTimeout(timer),
  };
}

function parseLength(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

/** `Content-Range: bytes START-END/TOTAL` (TOTAL may be `*`). */
function parseContentRange(header: string | null): { start: number; total: number | null } | null {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), total: match[3] === '*' ? null : Number(match[3]) };
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

async function hashFileInto(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(path, hash);
  return hash.digest('hex');
}
