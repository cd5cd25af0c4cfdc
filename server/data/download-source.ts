import { z } from 'zod';
import { DataError } from './errors.ts';
import { IMDB_SHA256, IMDB_URL } from './download.ts';

type Env = Record<string, string | undefined>;

export interface DownloadSource {
  url: string;
  sha256: string;
}

const envSchema = z.object({
  CHORUS_DATA_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  CHORUS_DATA_SHA256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits').optional(),
});

/**
 * Where the IMDB archive is downloaded from, and the sha256 it must have: the official URL and published checksum,
 * unless `$CHORUS_DATA_URL` (a mirror, or a local stand-in in tests) and `$CHORUS_DATA_SHA256` say otherwise. The
 * checksum is always verified; only an explicitly given one replaces the published value, so a mirror of the
 * official archive still has to match it byte for byte.
 */
export function downloadSource(env: Env = process.env): DownloadSource {
  // An empty variable means unset (e.g. `CHORUS_DATA_URL= npm start` to clear an exported one).
  const parsed = envSchema.safeParse({ CHORUS_DATA_URL: env.CHORUS_DATA_URL || undefined, CHORUS_DATA_SHA256: env.CHORUS_DATA_SHA256 || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(`$${String(issue?.path[0])}`, issue?.message ?? 'invalid');
  }
  return { url: parsed.data.CHORUS_DATA_URL ?? IMDB_URL, sha256: (parsed.data.CHORUS_DATA_SHA256 ?? IMDB_SHA256).toLowerCase() };
}
