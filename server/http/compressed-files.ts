import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { RequestHandler } from 'express';
import { ByteLru } from './byte-lru.ts';

const compressors = {
  // Quality 9 rather than the maximum 11, to keep the one-off compression of each file short; not tuned.
  br: promisify((input: Buffer, done: (error: Error | null, out: Buffer) => void) => brotliCompress(input, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }, done)),
  gzip: promisify((input: Buffer, done: (error: Error | null, out: Buffer) => void) => gzip(input, { level: 9 }, done)),
};
type Encoding = keyof typeof compressors;

/** Text and wasm: what compresses (measured: the SIMD wasm binary 425 KB → 121 KB gzipped; docs/downlink.md). */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.wasm', '.html', '.svg', '.json', '.map']);

export interface CompressedFilesOptions {
  /** Whether a file (its path relative to `root`) never changes under its name: hashed asset names. */
  immutable: (relative: string) => boolean;
}

/**
 * The built site's scripts, styles and wasm, compressed (brotli or gzip, as the browser accepts) for the first
 * load of a contributor: the training worker's script alone is ~2 MB as built. Each file is compressed once per
 * build (keyed by its size and modification time), off the event loop, and kept in a bounded cache; a file that
 * does not exist, is not compressible, or is asked for without an encoding passes on to express.static as before.
 * Fixed names (the tfjs wasm binaries, widget.js) are revalidated (`no-cache` with a strong ETag); hashed asset
 * names are immutable.
 */
export function compressedFiles(root: string, options: CompressedFilesOptions): RequestHandler {
  const base = path.resolve(root);
  const cache = new ByteLru<Buffer | null>(64, 64 << 20);
  const running = new Map<string, Promise<Buffer | null>>();

  const compressed = async (file: string, key: string, encoding: Encoding): Promise<Buffer | null> => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const inFlight = running.get(key);
    if (inFlight) return inFlight;
    const work = (async () => {
      const raw = await readFile(file);
      const out = await compressors[encoding](raw);
      // Worth it only where it saves a tenth: otherwise the browser's inflating costs more than the bytes saved.
      const kept = out.byteLength <= 0.9 * raw.byteLength ? out : null;
      cache.set(key, kept, kept?.byteLength ?? 0);
      return kept;
    })();
    running.set(key, work);
    try {
      return await work;
    } finally {
      running.delete(key);
    }
  };

  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const ext = path.extname(req.path).toLowerCase();
    if (!COMPRESSIBLE.has(ext)) return next();
    // brotli where accepted (browsers offer it over HTTPS), else gzip; whatever order the browser lists them in.
    const encoding: Encoding | null = req.acceptsEncodings('br') === 'br' ? 'br' : req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : null;
    if (!encoding) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path).replace(/^\/+/, '');
    } catch {
      return next();
    }
    const file = path.resolve(base, relative);
    if (!file.startsWith(base + path.sep)) return next();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return next();
    const version = `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`;
    const etag = `"${version}-${encoding}"`;
    const body = await compressed(file, `${file}|${version}|${encoding}`, encoding).catch(() => null);
    if (!body) return next();
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', options.immutable(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Encoding', encoding);
    res.type(ext);
    res.send(body);
  };
}
