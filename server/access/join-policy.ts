import type { ClientKind } from '../../shared/protocol/messages.ts';
import { hashToken, sameHash } from './token-hash.ts';
import type { TokenStore } from './token-store.ts';

/** Who may join: anyone (open), or edge clients holding a token from the token file or the database. */
export type JoinMode = 'open' | 'tokens';

export type JoinDecision = { ok: true; label: string | null } | { ok: false; message: string };

export interface JoinPolicyOptions {
  /** `--open`: the operator lets anyone join without a token. */
  open: boolean;
  /** Address the server listens on: loopback without tokens is open, since only this machine can connect. */
  host: string;
  /** Tokens read from `--join-token-file`. */
  fileTokens: readonly string[];
  /** Tokens from `chorus token create`, in the server's database. */
  store: TokenStore;
  /** With --open: participant connections without a token per IP address. */
  maxClientsPerIp: number;
}

export class JoinPolicyError extends Error {}

/** Addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Decides the join mode once, at start, and checks each handshake. The default keeps the README's two-command
 * setup working: a server on loopback with no tokens is open (only processes on this machine can reach it), while
 * one on a reachable address must be told `--open` or given tokens, so a federation is never public by accident.
 */
export class JoinPolicy {
  readonly mode: JoinMode;
  /** Why the mode was chosen, for the start-up log. */
  readonly reason: string;
  /**
   * Token-less participants allowed per IP address; null when not limited. Only an explicit --open limits them:
   * on loopback every client has the same address, and the demo runs several.
   */
  readonly slotsPerIp: number | null;
  private readonly fileHashes: string[];

  constructor(private readonly options: JoinPolicyOptions) {
    this.fileHashes = options.fileTokens.map(hashToken);
    this.slotsPerIp = options.open ? options.maxClientsPerIp : null;
    const hasTokens = this.fileHashes.length > 0 || options.store.hasLive();
    if (options.open) {
      this.mode = 'open';
      this.reason = `--open: anyone who can reach the server may join, browsers included (at most ${options.maxClientsPerIp} without a token per IP address)`;
    } else if (hasTokens) {
      this.mode = 'tokens';
      this.reason = 'join tokens configured: only edge clients with a valid token may join';
    } else if (isLoopback(options.host)) {
      this.mode = 'open';
      this.reason = `no join tokens, listening on ${options.host} only: open to processes on this machine`;
    } else {
      throw new JoinPolicyError(
        `listening on ${options.host} with no join tokens would let anyone join: give --join-token-file FILE, create tokens with \`chorus token create --label NAME\`, or say --open to allow it`,
      );
    }
  }

  /** The handshake's verdict: the token's label (null for a token-less join in open mode), or why not. */
  check(kind: ClientKind, token: string | undefined): JoinDecision {
    if (token !== undefined) {
      const label = this.labelOf(token);
      // A wrong token is refused even in open mode: it is a misconfigured client, better told than silently admitted.
      return label === undefined ? { ok: false, message: 'this join token is not valid (unknown or revoked)' } : { ok: true, label };
    }
    // Dashboards only watch: they never receive a shard or send an update.
    if (this.mode === 'open' || kind === 'dashboard') return { ok: true, label: null };
    return {
      ok: false,
      message:
        kind === 'browser'
          ? 'this server admits only edge clients with a join token (the operator can admit browsers with --open)'
          : 'this server needs a join token: pass --token-file FILE or set CHORUS_TOKEN',
    };
  }

  /** Whether `label` still names a live token (file tokens cannot be revoked but by editing the file). */
  isLive(label: string): boolean {
    return label.startsWith('file:') || this.options.store.list().some((row) => row.label === label && row.revokedAt === null);
  }

  private labelOf(token: string): string | undefined {
    const hash = hashToken(token);
    const index = this.fileHashes.findIndex((h) => sameHash(h, hash));
    if (index >= 0) return `file:${index + 1}`;
    return this.options.store.labelOf(hash);
  }
}
