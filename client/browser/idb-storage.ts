import type { Example } from '../../shared/data/example.ts';
import type { ClientStorage } from '../core/client-storage.ts';

const DB_NAME = 'chorus-client';
const DB_VERSION = 1;
const SHARDS = 'shards';
const IDS = 'client-ids';

/**
 * The browser client's storage in IndexedDB (available in workers, unlike localStorage): the demo shard, so a
 * reload does not download it again, and the clientId, so the server knows a returning contributor.
 * A browser that refuses storage (private mode, quota) only loses the cache: every method fails soft.
 */
export class IndexedDbStorage implements ClientStorage {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory = indexedDB) {}

  async loadClientId(serverKey: string): Promise<string | null> {
    const value = await this.get(IDS, serverKey);
    return typeof value === 'string' ? value : null;
  }

  async saveClientId(serverKey: string, clientId: string): Promise<void> {
    await this.put(IDS, serverKey, clientId);
  }

  /** As stored; the client core validates the examples before using them. */
  async loadShard(key: string): Promise<Example[] | null> {
    const value = await this.get(SHARDS, key);
    return Array.isArray(value) ? (value as Example[]) : null;
  }

  async saveShard(key: string, examples: Example[]): Promise<void> {
    await this.put(SHARDS, key, examples.map(({ text, label }) => ({ text, label })));
  }

  /** Closes the connection (before the database is erased); a later call opens it again. */
  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    (await db?.catch(() => null))?.close();
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = this.factory.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        for (const store of [SHARDS, IDS]) if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab's "Forget me" deletes the database: let it, instead of blocking it while this tab lives.
        db.onversionchange = () => {
          db.close();
          this.db = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab with an older version'));
    });
    return this.db;
  }

  private async get(store: string, key: string): Promise<unknown> {
    try {
      const db = await this.open();
      return await done(db.transaction(store, 'readonly').objectStore(store).get(key));
    } catch {
      return null;
    }
  }

  private async put(store: string, key: string, value: unknown): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(store, 'readwrite');
    tx.objectStore(store).put(value, key);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error(`IndexedDB write to ${store} failed`));
      tx.onabort = () => reject(tx.error ?? new Error(`IndexedDB write to ${store} was aborted`));
    });
  }
}

/**
 * Erases everything Chorus keeps in this browser (the demo shard and the client id): "Forget me". Connections of
 * other tabs close themselves on the version change, so the deletion is not left blocked.
 */
export function eraseClientStorage(factory: IDBFactory = indexedDB): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be erased'));
  });
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
