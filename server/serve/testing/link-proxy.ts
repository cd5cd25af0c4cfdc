import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One client connection through the proxy: its two sockets, and what a frozen link holds back in each direction. */
interface Link {
  client: Socket;
  upstream: Socket;
  heldUp: Buffer[];
  heldDown: Buffer[];
}

/**
 * A TCP proxy in front of the server, one per test client, so a test can break that client's network the ways a
 * real one breaks, with both ends left as they are (the real client core, the real server):
 * - `cut()`: every open connection drops (both ends see it close at once); the client may connect again.
 * - `kill()`: the same, and no new connection gets through: to the server, the client's process died.
 * - `freeze()`: nothing passes either way and nothing closes: a device that lost its network without a word.
 *   The server cannot tell, so only a deadline ends its wait. `thaw()` delivers what was held, in order.
 */
export class LinkProxy {
  private readonly links = new Set<Link>();
  private frozen = false;
  private refusing = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards each connection to `target` (an http://host:port URL). */
  static async start(target: string): Promise<LinkProxy> {
    const { hostname, port } = new URL(target);
    let proxy: LinkProxy | null = null;
    const server = createServer((client) => proxy?.accept(client, hostname, Number(port)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy = new LinkProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const link: Link = { client, upstream: createConnection({ host, port }), heldUp: [], heldDown: [] };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => (this.frozen ? link.heldUp.push(chunk) : link.upstream.write(chunk)));
    link.upstream.on('data', (chunk: Buffer) => (this.frozen ? link.heldDown.push(chunk) : client.write(chunk)));
    // Either end closing (or failing) closes the other: a proxy must not keep a half-dead connection alive.
    const close = () => {
      this.links.delete(link);
      client.destroy();
      link.upstream.destroy();
    };
    for (const socket of [client, link.upstream]) {
      socket.on('close', close);
      socket.on('error', close);
    }
  }

  cut(): void {
    for (const link of [...this.links]) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.links.clear();
  }

  kill(): void {
    this.refusing = true;
    this.cut();
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const link of this.links) {
      for (const chunk of link.heldUp.splice(0)) link.upstream.write(chunk);
      for (const chunk of link.heldDown.splice(0)) link.client.write(chunk);
    }
  }

  /** Bytes a frozen link holds from the client for the server (e.g. to know an update was sent). */
  heldFromClient(): number {
    let n = 0;
    for (const link of this.links) for (const chunk of link.heldUp) n += chunk.byteLength;
    return n;
  }

  async close(): Promise<void> {
    this.kill();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
