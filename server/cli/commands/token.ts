import type { Command } from 'commander';
import { z } from 'zod';
import { TokenStore, tokenLabelSchema } from '../../access/token-store.ts';
import { DEFAULT_DB_FILE } from '../../storage/model-store.ts';
import { action, CliError, parseFlags } from '../errors.ts';
import { status } from '../progress.ts';
import { addJsonFlag } from '../shared-flags.ts';

const dbFlag = z.object({ db: z.string().min(1) });

/**
 * `chorus token create|revoke|list`: join tokens for edge clients, in the server's SQLite file (hashed; the token
 * is printed once, at creation). A running server sees new tokens at the next handshake and disconnects a revoked
 * token's clients within a second (access/revocation-watch.ts).
 */
export function registerToken(program: Command): void {
  const token = program.command('token').description("manage the join tokens edge clients present (kept hashed in the server's --db)");
  const withDb = (cmd: Command) => cmd.option('--db <file>', 'the SQLite file of `chorus serve --db`', DEFAULT_DB_FILE);

  withDb(token.command('create').description('make a token, print it once on stdout (give it to the client: `chorus client --token-file F`)'))
    .requiredOption('--label <name>', 'a name for the client or person it is for (used to revoke it)')
    .action(
      action(async (raw: Record<string, unknown>) => {
        const { db, label } = parseFlags(dbFlag.extend({ label: tokenLabelSchema }), raw);
        const value = withStore(db, (store) => store.create(label));
        process.stdout.write(`${value}\n`);
        status(`token "${label}" created in ${db}; it is shown only now. Revoke it with: chorus token revoke ${label}`);
      }),
    );

  withDb(token.command('revoke').description("revoke a token: its clients are disconnected and refused from now on").argument('<label>'))
    .action(
      action(async (label: string, raw: Record<string, unknown>) => {
        const { db } = parseFlags(dbFlag, raw);
        if (!withStore(db, (store) => store.revoke(label))) throw new CliError(`no live token labelled "${label}" in ${db} (see chorus token list)`);
        status(`token "${label}" revoked`);
      }),
    );

  addJsonFlag(withDb(token.command('list').description('list the tokens: label, created, revoked (never the tokens themselves)'))).action(
    action(async (raw: Record<string, unknown>) => {
      const { db, json } = parseFlags(dbFlag.extend({ json: z.boolean() }), raw);
      const rows = withStore(db, (store) => store.list());
      if (json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return;
      }
      if (rows.length === 0) status(`no tokens in ${db}`);
      for (const row of rows) process.stdout.write(`${row.label}\tcreated ${row.createdAt}\t${row.revokedAt ? `revoked ${row.revokedAt}` : 'live'}\n`);
    }),
  );
}

function withStore<T>(db: string, fn: (store: TokenStore) => T): T {
  let store: TokenStore;
  try {
    store = TokenStore.open(db);
  } catch (error) {
    throw new CliError(`${db}: ${(error as Error).message}`);
  }
  try {
    return fn(store);
  } catch (error) {
    throw error instanceof z.ZodError ? error : new CliError((error as Error).message);
  } finally {
    store.close();
  }
}
