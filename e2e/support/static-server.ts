import type { AddressInfo } from 'node:net';
import express from 'express';

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /**
   * Send COOP/COEP headers so pages are cross-origin isolated: SharedArrayBuffer, and with it the tfjs wasm
   * backend's threaded build, is only available then.
   */
  crossOriginIsolated?: boolean;
}

/**
 * Serves a built folder on 127.0.0.1 at a free port, for tests of pages that don't need the Chorus server.
 * `/dashboard` finds `dashboard.html`, as the real server's routes do.
 */
export async function startStaticServer(directory: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const app = express();
  if (options.crossOriginIsolated) {
    app.use((_req, res, next) => {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      next();
    });
  }
  app.use(express.static(directory, { extensions: ['html'], fallthrough: true }));
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive connections from Chromium would otherwise hold close() open until they time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
