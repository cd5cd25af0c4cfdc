import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JoinPolicy, JoinPolicyError } from './join-policy.ts';
import { hashToken } from './token-hash.ts';
import { TokenStore } from './token-store.ts';

describe('JoinPolicy', () => {
  let store: TokenStore;
  beforeEach(() => {
    store = TokenStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('is open on loopback without tokens, so `npm start` and a local `chorus client` need no setup', () => {
    const policy = new JoinPolicy({ open: false, host: '127.0.0.1', fileTokens: [], store, maxClientsPerIp: 4 });
    expect(policy.mode).toBe('open');
    expect(policy.check('browser', undefined)).toEqual({ ok: true, label: null });
    expect(policy.slotsPerIp).toBeNull();
    expect(new JoinPolicy({ open: false, host: '127.0.0.2', fileTokens: [], store, maxClientsPerIp: 4 }).mode).toBe('open');
  });

  it('refuses to start on a reachable address with neither tokens nor --open', () => {
    expect(() => new JoinPolicy({ open: false, host: '0.0.0.0', fileTokens: [], store, maxClientsPerIp: 4 })).toThrow(JoinPolicyError);
    expect(() => new JoinPolicy({ open: false, host: '0.0.0.0', fileTokens: [], store, maxClientsPerIp: 4 })).toThrow(/--join-token-file.*--open/);
  });

  it('--open admits token-less browsers anywhere, and still refuses a wrong token', () => {
    const policy = new JoinPolicy({ open: true, host: '0.0.0.0', fileTokens: [], store, maxClientsPerIp: 4 });
    expect(policy.check('browser', undefined)).toEqual({ ok: true, label: null });
    expect(policy.slotsPerIp).toBe(4);
    expect(policy.check('edge', 'z'.repeat(43))).toMatchObject({ ok: false });
  });

  it('with tokens, only a live token admits a participant; revoked ones stop being live', () => {
    const token = store.create('edge-1');
    const policy = new JoinPolicy({ open: false, host: '0.0.0.0', fileTokens: ['f'.repeat(20)], store, maxClientsPerIp: 4 });
    expect(policy.mode).toBe('tokens');
    expect(policy.check('edge', token)).toEqual({ ok: true, label: 'edge-1' });
    expect(policy.check('edge', 'f'.repeat(20))).toEqual({ ok: true, label: 'file:1' });
    expect(policy.check('edge', undefined)).toMatchObject({ ok: false });
    expect(policy.check('dashboard', undefined)).toEqual({ ok: true, label: null });
    store.revoke('edge-1');
    expect(policy.isLive('edge-1')).toBe(false);
    expect(policy.check('edge', token)).toMatchObject({ ok: false, message: expect.stringContaining('revoked') });
  });
});

describe('TokenStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-token-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores only the hash, refuses a second token with the same label, lists revocations', () => {
    const file = join(dir, 'db');
    const store = TokenStore.open(file);
    const token = store.create('alice');
    expect(() => store.create('alice')).toThrow(/already exists/);
    expect(store.revoke('alice')).toBe(true);
    expect(store.revoke('alice')).toBe(false);
    expect(store.list()).toEqual([{ label: 'alice', createdAt: expect.any(String), revokedAt: expect.any(String) }]);
    store.close();
    const raw = new Database(file);
    const rows = raw.prepare('SELECT * FROM join_tokens').all() as Record<string, unknown>[];
    raw.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.sha256).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('upgrades a schema-2 file (no join_tokens table) on open', () => {
    const file = join(dir, 'old.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, config TEXT NOT NULL) STRICT');
    raw.pragma('user_version = 2');
    raw.close();
    const store = TokenStore.open(file);
    store.create('after-upgrade');
    expect(store.hasLive()).toBe(true);
    store.close();
  });
});
