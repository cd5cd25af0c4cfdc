import { promisify } from 'node:util';
import { gzip as gzipCallback, constants } from 'node:zlib';
import type { Request, Response } from 'express';
import { ByteLru } from './byte-lru.ts';

const gzip = promisify(gzipCallback);

/** A body whose bytes never change under its tag (a content hash): model files and diffs. */
export interface ImmutableBody {
  /** The strong ETag's value, without quotes: the identity bytes' tag; the gzip bytes' tag adds `-gzip`. */
  tag: string;
  bytes: Uint8Array;
}

/**
 * gzip is used only where it saves at least this share of the bytes: below it, the client's inflating costs more
 * than the bytes it saves (float32 weights that every round moved barely compress; zeros and small counts do).
 */
const MIN_SAVING = 0.1;
/** Smaller bodies are sent as they are: a few hundred bytes saved would not pay for a compression. */
const MIN_COMPRESS_BYTES = 1024;

/**
 * Sends immutable bodies: a strong ETag, `Cache-Control: immutable`, 304 on a matching `If-None-Match`, and gzip
 * for clients that accept it where it pays (above). Each body is compressed once, off the event loop (zlib's thread
 * pool), and kept in a bounded cache by tag, so a round's clients asking for the same file share one compression.
 */
export class ImmutableSender {
  private readonly compressed = new ByteLru<Uint8Array | null>(16, 64 << 20);
  private readonly compressing = new Map<string, Promise<Uint8Array | null>>();

  constructor(private readonly level = constants.Z_DEFAULT_COMPRESSION) {}

  /**
   * Answers `req` with `body`; `sent` is told how many body bytes went out in full (0 for a 304), so the route can
   * count them in a client's round traffic.
   */
  async send(req: Request, res: Response, body: ImmutableBody, sent: (bytes: number) => void = () => undefined): Promise<void> {
    const identityTag = `"${body.tag}"`;
    const gzipTag = `"${body.tag}-gzip"`;
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    // A cache keyed on the URL alone must not hand gzip bytes to a client that did not ask for them.
    res.setHeader('Vary', 'Accept-Encoding');
    const held = matchingTag(req.headers['if-none-match'], [identityTag, gzipTag]);
    if (held) {
      res.setHeader('ETag', held);
      res.status(304).end();
      sent(0);
      return;
    }
    const packed = req.acceptsEncodings('gzip') === 'gzip' ? await this.gzipped(body) : null;
    const bytes = packed ?? body.bytes;
    res.setHeader('ETag', packed ? gzipTag : identityTag);
    if (packed) res.setHeader('Content-Encoding', 'gzip');
    res.type('application/octet-stream');
    res.on('finish', () => sent(res.statusCode === 200 && req.method === 'GET' ? bytes.byteLength : 0));
    res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** The gzip bytes of `body`, or null where gzip does not pay; compressed once per tag while it stays cached. */
  private async gzipped(body: ImmutableBody): Promise<Uint8Array | null> {
    if (body.bytes.byteLength < MIN_COMPRESS_BYTES) return null;
    const cached = this.compressed.get(body.tag);
    if (cached !== undefined) return cached;
    const running = this.compressing.get(body.tag);
    if (running) return running;
    const work = gzip(body.bytes, { level: this.level }).then((out) => {
      const worth = out.byteLength <= (1 - MIN_SAVING) * body.bytes.byteLength ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : null;
      this.compressed.set(body.tag, worth, worth?.byteLength ?? 0);
      return worth;
    });
    this.compressing.set(body.tag, work);
    try {
      return await work;
    } finally {
      this.compressing.delete(body.tag);
    }
  }
}

/** The first of `tags` that `If-None-Match` lists (weak comparison, as RFC 9110 asks for If-None-Match). */
function matchingTag(ifNoneMatch: string | undefined, tags: string[]): string | undefined {
  if (!ifNoneMatch) return undefined;
  const listed = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.find((tag) => listed.includes(tag));
}
