import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { Example } from '../../../shared/data/example.ts';
import { toModelFiles, type ModelBundle } from '../../../shared/model/model-bundle.ts';
import { buildWeightsDiff } from '../../../shared/model/weights-diff.ts';
import { CLIENT_SOCKET_HEADER } from '../../../shared/protocol/http.ts';
import { handshakeSchema, type Progress, type TrainRequest } from '../../../shared/protocol/messages.ts';
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
  /** Sends the weights of this model version one byte short, with a matching Content-Length (a truncated file). */
  truncateVersion?: number;
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
  /** The version of each weights file served over HTTP (200 or not), in order. */
  readonly modelRequests: number[] = [];
  /** Every model file request: version, file, and the socket id the client named (null: none). */
  readonly fileRequests: { version: number; file: string; socketId: string | null }[] = [];
  /** Diffs asked for: to `version` from `from`. */
  readonly diffRequests: { version: number; from: number }[] = [];
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
    let fake: FakeServer | null = null;
    const http = createServer((req, res) => fake?.serveFile(req, res));
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { maxHttpBufferSize: 64 << 20 });
    await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
    fake = new FakeServer(options, (http.address() as AddressInfo).port, http, io);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get latest(): ModelBundle {
    return this.options.bundles[this.options.bundles.length - 1];
  }

  /** Sends `round:train` to every client, with the manifest of the version it names (as the real server does). */
  train(req: Omit<TrainRequest, 'manifest' | 'evalFraction'> & { evalFraction?: number }): void {
    const bundle = this.options.bundles.find((b) => b.manifest.modelVersion === req.modelVersion);
    this.io.emit('round:train', { ...req, manifest: bundle ? toModelFiles(bundle).manifest : '{}' });
  }

  /** `GET /api/model/{v}/weights|docfreq`, as the real server serves them (its byte counting aside). */
  private serveFile(req: IncomingMessage, res: ServerResponse): void {
    const match = /^\/api\/model\/(\d+)\/(weights|docfreq|diff)(?:\?from=(\d+))?$/.exec(req.url ?? '');
    if (!match) return; // socket.io's own requests: its engine answers them.
    const version = Number(match[1]);
    const file = match[2];
    if (file === 'diff') return this.serveDiff(res, version, Number(match[3]));
    const named = req.headers[CLIENT_SOCKET_HEADER.toLowerCase()];
    this.fileRequests.push({ version, file, socketId: typeof named === 'string' ? named : null });
    if (file === 'weights') this.modelRequests.push(version);
    const bundle = this.options.bundles.find((b) => b.manifest.modelVersion === version);
    if (!bundle) {
      res.writeHead(404).end();
      return;
    }
    const files = toModelFiles(bundle);
    let body = Buffer.from(file === 'weights' ? files.weights : files.docFreq);
    if (file === 'weights' && version === this.options.corruptVersion) body[0] ^= 0xff;
    if (file === 'weights' && version === this.options.truncateVersion) body = body.subarray(1);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.byteLength }).end(body);
  }

  /** `GET /api/model/{v}/diff?from={u}` (shared/model/weights-diff.ts), spoilt like the weights for `corruptVersion`. */
  private serveDiff(res: ServerResponse, version: number, from: number): void {
    this.diffRequests.push({ version, from });
    const find = (v: number) => this.options.bundles.find((b) => b.manifest.modelVersion === v);
    const [target, base] = [find(version), find(from)];
    if (!target || !base) {
      res.writeHead(404).end();
      return;
    }
    const side = (b: ModelBundle) => ({ weights: toModelFiles(b).weights, sha256: b.manifest.weightsSha256 });
    const body = Buffer.from(buildWeightsDiff(side(base), side(target)).bytes);
    if (version === this.options.corruptVersion) body[body.byteLength - 1] ^= 0x01;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.byteLength }).end(body);
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
