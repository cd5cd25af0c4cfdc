import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCliTempDir, removeCliTempDir, runChorus } from '../test-support.ts';

const runCli = (dir: string, args: string[]) => runChorus(args, dir);

describe('chorus token (the real command line)', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = await makeCliTempDir();
    db = join(dir, 'chorus.db');
  });
  afterAll(async () => removeCliTempDir(dir));

  it('create prints the token once; list shows labels, never tokens; revoke marks it and refuses a second time', async () => {
    const created = await runCli(dir, ['token', 'create', '--label', 'edge-1', '--db', db]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('chorus token revoke edge-1');

    const listed = await runCli(dir, ['token', 'list', '--db', db, '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([{ label: 'edge-1', createdAt: expect.any(String), revokedAt: null }]);
    expect(listed.stdout).not.toContain(token);

    expect((await runCli(dir, ['token', 'revoke', 'edge-1', '--db', db])).code).toBe(0);
    const again = await runCli(dir, ['token', 'revoke', 'edge-1', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no live token labelled "edge-1"');
  });

  it('refuses a bad label and a duplicate one with a clear error', async () => {
    const bad = await runCli(dir, ['token', 'create', '--label', 'two words', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--label: a label is 1-64 letters');
    await runCli(dir, ['token', 'create', '--label', 'dup', '--db', db]);
    const dup = await runCli(dir, ['token', 'create', '--label', 'dup', '--db', db]);
    expect(dup.stderr).toContain('already exists');
  });

  it('chorus client refuses a token file with several tokens', async () => {
    const { writeFile } = await import('node:fs/promises');
    const file = join(dir, 'two.txt');
    await writeFile(file, 'aaaaaaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbb\n');
    const result = await runCli(dir, ['client', '--server', 'http://127.0.0.1:9', '--token-file', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 tokens in it; a client needs exactly one');
  });
});
