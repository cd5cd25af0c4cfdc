import Database from 'better-sqlite3';
import { z } from 'zod';
import { prepareDatabase } from '../storage/schema.ts';
import { hashToken, newToken } from './token-hash.ts';

export const tokenLabelSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a label is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

export interface TokenRow {
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * Join tokens in the server's SQLite file (table join_tokens, schema.ts), hashed. `chorus token` writes them while
 * a server may be running; the server reads them on every handshake and polls for revocations, so both sides only
 * ever go through this class. Its own connection: WAL lets it read and write beside the server's ModelStore.
 */
export class TokenStore {
  private readonly db: Database.Database;

  private constructor(file: string) {
    this.db = new Database(file);
    try {
      prepareDatabase(this.db, file);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  static open(file: string): TokenStore {
    return new TokenStore(file);
  }

  /** Makes a token for `label` and returns it: the only time it exists in clear. */
  create(label: string): string {
    const name = tokenLabelSchema.parse(label);
    const existing = this.db.prepare('SELECT revoked_at FROM join_tokens WHERE label = ?').get(name) as { revoked_at: string | null } | undefined;
    if (existing) throw new Error(`a token labelled "${name}" already exists${existing.revoked_at ? ' (revoked)' : ''}: pick another label`);
    const token = newToken();
    this.db.prepare('INSERT INTO join_tokens (label, sha256, created_at, revoked_at) VALUES (?, ?, ?, NULL)').run(name, hashToken(token), new Date().toISOString());
    return token;
  }

  /** Revokes `label`; false when no live token has that label. */
  revoke(label: string): boolean {
    const result = this.db.prepare('UPDATE join_tokens SET revoked_at = ? WHERE label = ? AND revoked_at IS NULL').run(new Date().toISOString(), label);
    return result.changes > 0;
  }

  list(): TokenRow[] {
    const rows = this.db.prepare('SELECT label, created_at, revoked_at FROM join_tokens ORDER BY created_at, label').all() as { label: string; created_at: string; revoked_at: string | null }[];
    return rows.map((r) => ({ label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /** The label of the live token with this hash, if any. The hash is a unique key, so the lookup is exact. */
  labelOf(sha256: string): string | undefined {
    const row = this.db.prepare('SELECT label FROM join_tokens WHERE sha256 = ? AND revoked_at IS NULL').get(sha256) as { label: string } | undefined;
    return row?.label;
  }

  /** Whether any live token exists (then joining needs one, unless the server runs open). */
  hasLive(): boolean {
    return this.db.prepare('SELECT 1 FROM join_tokens WHERE revoked_at IS NULL LIMIT 1').get() !== undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
