import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Parser, type ReadEntry } from 'tar';
import type { Dataset } from './dataset.ts';
import { DataError, errorMessage } from './errors.ts';
import { assembleImdbSplits, locateImdbReview, type ImdbReview } from './imdb-layout.ts';
import { decodeReviewText } from './text.ts';

// Old (pre-POSIX) tar writers mark plain files with a NUL type byte, which tar reports as 'OldFile'.
const REGULAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

export interface ArchiveReadOptions {
  onProgress?(bytesRead: number, totalBytes: number): void;
}

/**
 * Reads Stanford's `aclImdb_v1.tar.gz` straight from the compressed stream (tar detects and inflates the
 * gzip), keeping only the labeled reviews in memory; nothing is extracted to disk.
 */
export async function readImdbArchive(path: string, opts: ArchiveReadOptions = {}): Promise<Dataset> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new DataError(path, 'no such file', { cause: error });
  }
  if (!info.isFile()) throw new DataError(path, 'not a file');
  const totalBytes = info.size;
  if (totalBytes === 0) throw new DataError(path, 'archive is empty');
  const reviews = await collectReviews(path, totalBytes, opts);
  const { train, test } = assembleImdbSplits(reviews, path);
  return { path, format: 'imdb-archive', train, test, split: 'given' };
}

function collectReviews(path: string, totalBytes: number, opts: ArchiveReadOptions): Promise<ImdbReview[]> {
  return new Promise((resolve, reject) => {
    const reviews: ImdbReview[] = [];
    let settled = false;
    let parserEnded = false;
    let openEntries = 0;
    // strict turns tar's recoverable warnings (bad checksum, truncated input) into errors: a damaged
    // archive must fail loudly rather than silently lose reviews.
    const parser = new Parser({ strict: true, onReadEntry: readEntry });
    const input = createReadStream(path, { highWaterMark: 1 << 20 });

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      input.unpipe();
      input.destroy();
      reject(error instanceof DataError ? error : new DataError(path, describeArchiveError(error), { cause: error }));
    }

    function maybeFinish(): void {
      if (settled || !parserEnded || openEntries > 0) return;
      settled = true;
      resolve(reviews);
    }

    function readEntry(entry: ReadEntry): void {
      let location;
      try {
        location = REGULAR_FILE_TYPES.has(entry.type) ? locateImdbReview(entry.path, path) : null;
      } catch (error) {
        fail(error);
      }
      if (!location || settled) {
        entry.resume();
        return;
      }
      const where = location;
      const chunks: Buffer[] = [];
      openEntries++;
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        openEntries--;
        if (settled) return;
        try {
          const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          reviews.push({ ...where, text: decodeReviewText(bytes, path, entry.path) });
        } catch (error) {
          fail(error);
          return;
        }
        maybeFinish();
      });
    }

    let bytesRead = 0;
    input.on('data', (chunk) => {
      bytesRead += chunk.length;
      opts.onProgress?.(bytesRead, totalBytes);
    });
    input.on('error', fail);
    parser.on('error', fail);
    parser.on('end', () => {
      parserEnded = true;
      maybeFinish();
    });
    input.pipe(parser);
  });
}

/** Turns zlib/tar jargon into a message that says what is wrong with the file. */
function describeArchiveError(error: unknown): string {
  const message = errorMessage(error).replace(/^TAR_[A-Z_]+: /, '');
  const { code = '', tarCode = '' } = (error ?? {}) as { code?: string; tarCode?: string };
  // zlib failures reach us through tar's abort, keeping zlib's own Z_* code.
  if (code.startsWith('Z_')) return `corrupt or truncated gzip data (${message})`;
  if (tarCode.startsWith('TAR_')) return `not a valid tar archive (${message})`;
  return `could not read archive (${message})`;
}
