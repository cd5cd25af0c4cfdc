import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { Example } from '../../../shared/data/example.ts';
import { toModelFiles, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { handshakeSchema, type Progress } from '../../../shared/protocol/messages.ts';
import type { ClientToServerEvents, ParsedPayload, ServerToClientEvents } from '../../../shared/protocol/events.ts';
import { payloadSchema } from '../../../shared/protocol/socket-events.ts';

type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface FakeServerOptions {
  bundles: ModelBundle[];
  shards: Example[][];
  maxUpdateBytes?: number;
  shardSetId?: string;
  /** Corrupts the weights of this model version on the wire (to test verification). */
  corruptVersion?: number;
  port?: number;
  /** Answers the first this-many shard requests with UNAVAILABLE (to test retrying). */
  failShardRequests?: number;
  /** Refuses every handshake with this message, as a server of another protocol version would. */
  refuseHandshake?: string;
  /**
   * Loses the acks of the first `count` updates (each is still recorded): 'disconnect' drops the connection
   * instead of answering (the client may reconnect), 'silence' never answers (the client's ack times out).
   */
  loseUpdateAcks?: { count: number; how: 'disconnect' | 'silence' };
}

/**
 * A tiny stand-in for the Chorus server that speaks the shared protocol and records what clients send, so the
 * client core can be tested before (and independently of) the real server. Rounds are driven by the test.
 */
export class FakeServer {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  readonly hellos: { socketId: string; kind: string; clientId: string; hello: ParsedPayload<'hello'> }[] = [];
  readonly stats: { clientId: string; msg: ParsedPayload<'stats:submit'> }[] = [];
  readonly updates: { clientId: string; msg: ParsedPayload<'update:submit'> }[] = [];
  readonly progress: Progress[] = [];
  readonly pauses: { clientId: string; paused: boolean }[] = [];
  readonly modelRequests: number[] = [];
  shardRequests = 0;
  private nextId = 1;
  private readonly http: HttpServer;
  private readonly clientIds = new Map<string, string>();

  private constructor(
    private readonly options: FakeServerOptions,
    readonly port: number,
    http: HttpServer,
    io: Server<ClientToServerEvents, ServerToClientEvents>,
  ) {
    this.http = http;
    this.io = io;
    io.use((socket, next) => {
      if (options.refuseHandshake) return next(new Error(options.refuseHandshake));
      const auth = handshakeSchema.safeParse(socket.handshake.auth);
      if (!auth.success) return next(Object.assign(new Error('PROTOCOL_MISMATCH: unsupported protocol version'), { data: { code: 'PROTOCOL_MISMATCH' } }));
      next();
    });
    io.on('connection', (socket) => this.attach(socket));
  }

  static async start(options: FakeServerOptions): Promise<FakeServer> {
    const http = createServer();
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { maxHttpBufferSize: 64 << 20 });
    await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
    return new FakeServer(options, (http.address() as AddressInfo).port, http, io);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get latest(): ModelBundle {
    return this.options.bundles[this.options.bundles.length - 1];
  }

  clientIdOf(socketId: string): string | undefined {
    return this.clientIds.get(socketId);
  }

  private attach(socket: ServerSocket): void {
    const kind = String(socket.handshake.auth.kind);
    socket.on('hello', (raw, ack) => {
      const hello = payloadSchema('hello').parse(raw);
      const clientId = hello.clientId ?? `client-${String(this.nextId++).padStart(4, '0')}`;
      this.clientIds.set(socket.id, clientId);
      this.hellos.push({ socketId: socket.id, kind, clientId, hello });
      const shardId = hello.dataSource === 'own' ? null : (hello.shardId ?? (this.hellos.length - 1) % this.options.shards.length);
      ack({
        ok: true,
        data: { clientId, modelVersion: this.latest.manifest.modelVersion, shardId, maxUpdateBytes: this.options.maxUpdateBytes ?? 64 << 20, ...(this.options.shardSetId ? { shardSetId: this.options.shardSetId } : {}) },
      });
    });
    socket.on('shard:request', ({ shardId }, ack) => {
      this.shardRequests++;
      if (this.shardRequests <= (this.options.failShardRequests ?? 0)) return ack({ ok: false, error: { code: 'UNAVAILABLE', message: 'busy, try later' } });
      const examples = this.options.shards[shardId];
      if (!examples) return ack({ ok: false, error: { code: 'NOT_FOUND', message: `no shard ${shardId}` } });
      ack({ ok: true, data: { shardId, examples } });
    });
    socket.on('model:get', ({ modelVersion }, ack) => {
      this.modelRequests.push(modelVersion ?? -1);
      const bundle = this.options.bundles.find((b) => b.manifest.modelVersion === (modelVersion ?? this.latest.manifest.modelVersion));
      if (!bundle) return ack({ ok: false, error: { code: 'NOT_FOUND', message: `no model v${modelVersion}` } });
      const files = toModelFiles(bundle);
      const weights = Buffer.from(files.weights);
      if (modelVersion === this.options.corruptVersion) weights[0] ^= 0xff;
      ack({ ok: true, data: { modelVersion: bundle.manifest.modelVersion, manifest: files.manifest, weights, docFreq: Buffer.from(files.docFreq) } });
    });
    socket.on('stats:submit', (raw, ack) => {
      this.stats.push({ clientId: this.clientIds.get(socket.id) ?? '?', msg: payloadSchema('stats:submit').parse(raw) });
      ack({ ok: true, data: { accepted: true } });
    });
    socket.on('update:submit', (raw, ack) => {
      const parsed = payloadSchema('update:submit').safeParse(raw);
      if (!parsed.success) return ack({ ok: false, error: { code: 'INVALID_UPDATE', message: parsed.error.message } });
      this.updates.push({ clientId: this.clientIds.get(socket.id) ?? '?', msg: parsed.data });
      const lose = this.options.loseUpdateAcks;
      if (lose && this.updates.length <= lose.count) {
        // Closing the transport (not socket.disconnect(), which tells the client the server ended its session).
        if (lose.how === 'disconnect') socket.conn.close();
        return;
      }
      ack({ ok: true, data: { roundId: parsed.data.roundId, accepted: true } });
    });
    socket.on('progress', (raw) => this.progress.push(payloadSchema('progress').parse(raw)));
    socket.on('client:pause', ({ paused }) => this.pauses.push({ clientId: this.clientIds.get(socket.id) ?? '?', paused }));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    this.http.closeAllConnections?.();
  }
}

/** Polls until `check` holds (or throws after `timeoutMs`), for waiting on asynchronous protocol steps. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
