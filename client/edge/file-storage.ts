import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Example } from '../../shared/data/example.ts';
import type { ClientStorage } from '../core/client-storage.ts';

const clientIdsSchema = z.record(z.string(), z.string().regex(/^[A-Za-z0-9_-]{8,64}$/));

/**
 * The edge client's storage in a cache directory: `client-ids.json` (one id per server, so a restarted client
 * is the same client to the server) and `shards/<key>.json` (each demo shard as JSON, fetched once).
 * Writes go to a temporary file first and are renamed into place, so a crash never leaves half a file.
 */
export class FileClientStorage implements ClientStorage {
  constructor(readonly dir: string) {}

  private get idsFile(): string {
    return join(this.dir, 'client-ids.json');
  }

  async loadClientId(serverKey: string): Promise<string | null> {
    return (await this.readIds())[serverKey] ?? null;
  }

  async saveClientId(serverKey: string, clientId: string): Promise<void> {
    const ids = await this.readIds();
    ids[serverKey] = clientId;
    await writeAtomically(this.idsFile, `${JSON.stringify(ids, null, 2)}\n`);
  }

  /** The cached examples as stored; the client core validates them (and refetches a corrupt entry). */
  async loadShard(key: string): Promise<Example[] | null> {
    const text = await readFile(this.shardFile(key), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      return JSON.parse(text) as Example[];
    } catch {
      return null;
    }
  }

  async saveShard(key: string, examples: Example[]): Promise<void> {
    await writeAtomically(this.shardFile(key), JSON.stringify(examples.map(({ text, label }) => ({ text, label }))));
  }

  private shardFile(key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(key) || key.startsWith('.')) throw new Error(`unsafe shard cache key: ${key}`);
    return join(this.dir, 'shards', `${key}.json`);
  }

  private async readIds(): Promise<Record<string, string>> {
    const text = await readFile(this.idsFile, 'utf8').catch(() => null);
    if (text === null) return {};
    try {
      const parsed = clientIdsSchema.safeParse(JSON.parse(text));
      // A corrupt identity file costs only the identity: the server hands out a new id.
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
