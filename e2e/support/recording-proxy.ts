import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy saw of `POST /api/predict`, and the knobs a test turns. */
export interface ProxyState {
  /** Every text sent for prediction, in arrival order. */
  predicted: string[];
  inFlight: number;
  maxInFlight: number;
  /** Held before a prediction request is passed on: a slow server. */
  predictDelayMs: number;
  /** Drop every `/api/*` connection without an answer: a server that cannot be reached. */
  unreachable: boolean;
}

export interface RecordingProxy {
  /** e.g. http://127.0.0.1:41234 (no trailing slash, like RunningServer.url). */
  url: string;
  state: ProxyState;
  close(): Promise<void>;
}

/**
 * A transparent HTTP proxy in front of a real Chorus server, for tests that need to see or disturb the traffic
 * (count prediction requests, slow them down, drop them). Everything else passes through byte for byte, headers
 * included, so the page still talks to the real routes.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const state: ProxyState = { predicted: [], inFlight: 0, maxInFlight: 0, predictDelayMs: 0, unreachable: false };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (state.unreachable && path.startsWith('/api/')) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const isPredict = req.method === 'POST' && path.split('?')[0] === '/api/predict';
    if (isPredict) {
      try {
        const texts = (JSON.parse(body.toString('utf8')) as { texts?: unknown }).texts;
        if (Array.isArray(texts)) state.predicted.push(...texts.map(String));
      } catch {
        // Not JSON: the real server answers it (400); nothing to record.
      }
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      res.on('close', () => state.inFlight--);
      await new Promise((resolve) => setTimeout(resolve, state.predictDelayMs));
    }
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => req.socket.destroy());
    forwarded.end(body);
  };

  const server = createServer((req, res) => void handle(req, res).catch(() => req.socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
