import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const tokenLine = z.string().min(16, 'a token is at least 16 characters').max(256, 'a token is at most 256 characters').regex(/^\S+$/, 'a token has no spaces');

/**
 * Reads a token file: one token per line, blank lines and `#` comments ignored. Used by `serve --join-token-file`
 * (every line is a valid join token), `--admin-token-file` and `client --token-file` (exactly one line).
 */
export async function readTokenFile(path: string, what: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${what} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (tokens.length === 0) throw new Error(`${what} ${path}: no token in it (one per line)`);
  tokens.forEach((token, i) => {
    const parsed = tokenLine.safeParse(token);
    if (!parsed.success) throw new Error(`${what} ${path}: token ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  });
  return tokens;
}
