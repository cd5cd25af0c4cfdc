import { io, type Socket } from 'socket.io-client';
import type { Example } from '../../../shared/data/example.ts';
import { encodeFloat32, encodeUint32 } from '../../../shared/model/binary-codec.ts';
import { hashExamples, labelsOf } from '../../../shared/model/featurize-set.ts';
import { ModelKeeper } from '../../../client/edge/index.ts';
import { useNodeBackend } from '../../../shared/model/node-backends.ts';
import type { Ack, ClientToServerEvents, ParsedPayload, ServerToClientEvents } from '../../../shared/protocol/events.ts';
import type { Hello, HelloReply, ModelAnnouncement, StatsRequest, TrainRequest } from '../../../shared/protocol/messages.ts';
import { payloadSchema, replySchema, type ServerEvent } from '../../../shared/protocol/socket-events.ts';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version.ts';
import { countDocFreq, toSparseDocFreq } from '../../../shared/text/doc-freq.ts';
import { featurizerSettings } from '../../../shared/text/settings.ts';
import { runLocalRound } from '../../../shared/train/local-round.ts';
import { packetBytes } from '../traffic-meter.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ScriptedClientOptions {
  kind?: 'browser' | 'edge';
  hello?: Hello;
  /**
   * 'train': a well-behaved client; 'silent-train': answers statistics but never sends an update; 'manual':
   * answers nothing by itself (the test sends what it wants).
   */
  behaviour?: 'train' | 'silent-train' | 'manual';
  /** A join token, for a server that requires one. */
  token?: string;
}

/**
 * A test client that speaks the real protocol over a real socket.io connection: hello, fetch its shard, answer
 * the statistics round with document counts, and for each `round:train` fetch the model over HTTP (what it does not
 * hold, with the client core's ModelKeeper) and run `runLocalRound`
 * (the same client core the browser worker and edge client use). Not a mock: only the scheduling is scripted.
 */
export class ScriptedClient {
  readonly socket: ClientSocket;
  helloReply: HelloReply | null = null;
  examples: Example[] = [];
  readonly trainedRounds: number[] = [];
  readonly errors: string[] = [];
  readonly cancels: string[] = [];
  readonly statsRequests: StatsRequest[] = [];
  readonly trainRequests: TrainRequest[] = [];
  /** Every update this client had accepted, as it sent it: lets a test recompute the server's aggregation by hand. */
  readonly submitted: { round: number; delta: Float32Array; numExamples: number }[] = [];
  readonly announcements: ModelAnnouncement[] = [];
  /**
   * Per round, the bytes this client received on its WebSocket and as model file bodies over HTTP from
   * `round:train` until it sent its update, and
   * the bytes it sent in that time (its update included): what the server should report as the round's traffic.
   */
  readonly roundBytes = new Map<number, { down: number; up: number }>();
  private bytesIn = 0;
  private bytesOut = 0;
  private lastPacketIn = 0;
  /** Model file bodies received over HTTP (200 answers), which the server counts in the round's traffic too. */
  private httpBytesIn = 0;
  private roundStart = new Map<number, { in: number; out: number }>();
  /** The model, fetched over HTTP as the client core fetches it: only the parts it does not hold. */
  readonly models: ModelKeeper;
  private behaviour: NonNullable<ScriptedClientOptions['behaviour']>;
  /** Resolves once the shard is here: a statistics request may arrive right after the hello reply. */
  private dataReady: Promise<void>;
  private markReady: () => void = () => {};

  private constructor(url: string, socket: ClientSocket, behaviour: ScriptedClientOptions['behaviour']) {
    this.socket = socket;
    this.models = new ModelKeeper({ serverUrl: url, fetch: (input, init) => this.countedFetch(input, init), timeoutMs: 120_000, socketId: () => socket.id });
    this.behaviour = behaviour ?? 'train';
    this.dataReady = new Promise((resolve) => (this.markReady = resolve));
    // Every server message is parsed with the table's schema, as the real client core does: a server sending
    // something a client would refuse shows up in `errors` (and is not acted on).
    const parse = <E extends ServerEvent>(event: E, raw: unknown): ParsedPayload<E> | null => {
      const parsed = payloadSchema(event).safeParse(raw);
      if (!parsed.success) this.errors.push(`invalid ${event}: ${parsed.error.message}`);
      return parsed.success ? parsed.data : null;
    };
    socket.on('round:stats', (raw) => {
      const msg = parse('round:stats', raw);
      if (!msg) return;
      this.statsRequests.push(msg);
      if (this.behaviour !== 'manual') void this.answerStats(msg).catch((e: Error) => this.errors.push(`stats: ${e.message}`));
    });
    socket.on('round:train', (raw) => {
      const msg = parse('round:train', raw);
      if (!msg) return;
      // socket.io dispatches an event synchronously on its packet's arrival: the last packet in is this request.
      this.roundStart.set(msg.round, { in: this.bytesIn + this.httpBytesIn - this.lastPacketIn, out: this.bytesOut });
      this.trainRequests.push(msg);
      if (this.behaviour === 'train') void this.train(msg).catch((e: Error) => this.errors.push(`train: ${e.message}`));
    });
    socket.on('round:cancel', (raw) => {
      const msg = parse('round:cancel', raw);
      if (msg) this.cancels.push(msg.roundId);
    });
    socket.on('model:updated', (raw) => {
      const msg = parse('model:updated', raw);
      if (msg) this.announcements.push(msg);
    });
  }

  static async join(url: string, options: ScriptedClientOptions = {}): Promise<ScriptedClient> {
    // It trains like an edge client: a test whose server runs in another process has not set a tfjs backend yet.
    if (options.behaviour !== 'manual') await useNodeBackend('wasm');
    const socket: ClientSocket = io(url, { auth: { protocolVersion: PROTOCOL_VERSION, kind: options.kind ?? 'edge', ...(options.token === undefined ? {} : { token: options.token }) }, transports: ['websocket'], reconnection: false });
    const client = new ScriptedClient(url, socket, options.behaviour);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    client.meter();
    const reply = await socket.emitWithAck('hello', options.hello ?? {});
    client.helloReply = replySchema('hello').parse(unwrap(reply, 'hello'));
    if (client.helloReply.shardId !== null) {
      client.examples = replySchema('shard:request').parse(unwrap(await socket.emitWithAck('shard:request', { shardId: client.helloReply.shardId }), 'shard:request')).examples;
    }
    client.markReady();
    return client;
  }

  /** Counts the engine.io message packets of this connection, both ways, as the server's meter does. */
  private meter(): void {
    const engine = this.socket.io.engine;
    engine.on('packet', (packet) => {
      if (packet.type !== 'message') return;
      this.lastPacketIn = packetBytes(packet.data);
      this.bytesIn += this.lastPacketIn;
    });
    engine.on('packetCreate', (packet) => {
      if (packet.type === 'message') this.bytesOut += packetBytes(packet.data);
    });
  }

  setBehaviour(behaviour: NonNullable<ScriptedClientOptions['behaviour']>): void {
    this.behaviour = behaviour;
  }

  private async countedFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
    const response = await fetch(input, init);
    if (response.status === 200) this.httpBytesIn += Number(response.headers.get('content-length') ?? 0);
    return response;
  }

  close(): void {
    this.socket.disconnect();
  }

  /**
   * For a 'manual' client that attacks or idles: answers the statistics round as an honest client does, and every
   * training request with `delta()` claiming `numExamples`, collecting the server's acks in the array it returns (an
   * ack lost to a server killed meanwhile is left out). Statistics requests that came before this call are answered
   * too: one can arrive while `join()` is still saying hello, and unanswered it would hold the round to its deadline.
   */
  answerEveryRound(delta: () => Float32Array, numExamples: number): unknown[] {
    const acks: unknown[] = [];
    const answer = (request: StatsRequest) => void this.answerStats(request).catch((e: Error) => this.errors.push(`stats: ${e.message}`));
    for (const request of this.statsRequests) answer(request);
    this.socket.on('round:stats', () => answer(this.statsRequests.at(-1) as StatsRequest));
    this.socket.on('round:train', (msg: { roundId: string; modelVersion: number }) => {
      void this.socket
        .emitWithAck('update:submit', { roundId: msg.roundId, modelVersion: msg.modelVersion, numExamples, loss: 0.1, trainSeconds: 1, delta: bytes(encodeFloat32(delta())) })
        .then((ack) => acks.push(ack))
        .catch(() => undefined);
    });
    return acks;
  }

  async answerStats(msg: StatsRequest): Promise<void> {
    await this.dataReady;
    const settings = featurizerSettings(msg.featurizer);
    const sparse = toSparseDocFreq(countDocFreq(hashExamples(this.examples, settings), settings.buckets));
    const ids = bytes(new Uint8Array(sparse.ids.buffer, sparse.ids.byteOffset, sparse.ids.byteLength));
    unwrap(await this.socket.emitWithAck('stats:submit', { roundId: msg.roundId, numDocs: sparse.numDocs, ids, counts: bytes(encodeUint32(sparse.counts)) }), 'stats:submit');
  }

  async train(msg: TrainRequest): Promise<void> {
    const bundle = await this.models.get(msg.modelVersion, msg.manifest);
    const settings = bundle.manifest.featurizer;
    const result = await runLocalRound(bundle, { terms: hashExamples(this.examples, settings), labels: labelsOf(this.examples) }, msg.config, msg.evalFraction);
    const receipt = this.socket.emitWithAck('update:submit', {
      roundId: msg.roundId,
      modelVersion: msg.modelVersion,
      numExamples: result.numExamples,
      loss: result.loss,
      trainSeconds: result.trainSeconds,
      delta: bytes(encodeFloat32(result.delta)),
      evaluation: result.evaluation,
    });
    // The update's packets are written synchronously by the emit: the round's traffic ends here.
    const start = this.roundStart.get(msg.round);
    if (start) this.roundBytes.set(msg.round, { down: this.bytesIn + this.httpBytesIn - start.in, up: this.bytesOut - start.out });
    unwrap(await receipt, 'update:submit');
    this.submitted.push({ round: msg.round, delta: result.delta, numExamples: result.numExamples });
    this.trainedRounds.push(msg.round);
  }
}

/** binarySchema's input type wants ArrayBuffer-backed bytes; our codecs return ArrayBufferLike-typed ones. */
export function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return view as Uint8Array<ArrayBuffer>;
}

export function unwrap<T>(reply: Ack<T>, what: string): T {
  if (!reply.ok) throw new Error(`${what} refused: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

/** Connects a raw socket (no hello) for protocol-level tests. */
export function rawSocket(url: string, auth: Record<string, unknown>): ClientSocket {
  return io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}
