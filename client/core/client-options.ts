import { z } from 'zod';
import { codecNameSchema, type CodecName } from '../../shared/codecs/registry.ts';
import type { Hello } from '../../shared/protocol/messages.ts';
import type { BackendInfo } from './client-state.ts';
import type { ClientStorage } from './client-storage.ts';
import type { ClientDataSource } from './data-loader.ts';
import type { LocalDataset } from './local-dataset.ts';
import type { ReconnectPolicy } from './socket-connection.ts';

export interface ChorusClientOptions {
  serverUrl: string;
  kind: 'browser' | 'edge';
  data: ClientDataSource;
  backend: BackendInfo;
  storage: ClientStorage;
  userAgent?: string;
  /** A join token (edge clients of a server that requires one); sent in the handshake of every (re)connect. */
  token?: string;
  reconnect?: Partial<ReconnectPolicy>;
  /** The model files' HTTP client (default: the global fetch; tests pass their own). */
  fetch?: typeof fetch;
  /** Ack timeouts: small requests, model and shard downloads (megabytes), update uploads. */
  timeouts?: Partial<Timeouts>;
  /** Minimum interval between progress reports: to the server, and to UI listeners. */
  serverProgressMs?: number;
  uiProgressMs?: number;
  /**
   * Uplink codecs in this client's order of preference; each round it uses the first the server accepts (else the
   * server's first one it knows). Default: row-sparse (exact, ~6 % of float32's bytes), else float32, the reference
   * (shared/codecs/registry.ts DEFAULT_PREFERENCE).
   */
  codecs?: CodecName[];
  /**
   * Secure aggregation: the fewest clients whose updates may be summed together for this client to take part
   * (default 3, secure-round.ts). Enforced by the client itself, so a server cannot isolate one person's update
   * among few or fake clients.
   */
  minCohort?: number;
  /** Uniforms in [0, 1) for the int8 codecs' stochastic rounding; default Math.random (simulations inject a seeded one). */
  random?: () => number;
}

export interface Timeouts {
  requestMs: number;
  modelMs: number;
  submitMs: number;
}

export const defaultTimeouts: Timeouts = { requestMs: 30_000, modelMs: 120_000, submitMs: 120_000 };

const optionsSchema = z.object({
  serverUrl: z.url({ protocol: /^(https?|wss?)$/, error: 'serverUrl must be an http(s) or ws(s) URL' }),
  kind: z.enum(['browser', 'edge']),
  data: z.union([
    z.object({ source: z.literal('shard'), shardId: z.number().int().min(0).optional() }),
    z.object({ source: z.literal('own'), examples: z.array(z.unknown()).min(1, 'own data needs at least one example') }),
  ]),
  backend: z.object({ name: z.enum(['webgpu', 'wasm', 'cpu', 'webgl']), reason: z.string() }),
  token: z.string().min(16, 'a join token is at least 16 characters').max(256).regex(/^\S+$/, 'a join token has no spaces').optional(),
  codecs: z.array(codecNameSchema).min(1, 'name at least one codec').optional(),
  minCohort: z.number().int().min(2, 'a cohort has at least 2 clients').max(65_535).optional(),
});

export function checkClientOptions(options: ChorusClientOptions): void {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) throw new Error(`invalid client options: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

/** The `hello` a client sends on every (re)connect; `clientId` is the one it kept, if any. */
export function helloMessage(options: ChorusClientOptions, dataset: LocalDataset | null, clientId: string | undefined): Hello {
  const { data, backend, userAgent } = options;
  return {
    ...(clientId ? { clientId } : {}),
    backend: backend.name,
    backendReason: backend.reason.slice(0, 500),
    dataSource: data.source,
    ...(data.source === 'shard' && data.shardId !== undefined ? { shardId: data.shardId } : {}),
    ...(dataset && data.source === 'own' ? { numExamples: dataset.size } : {}),
    ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
  };
}
