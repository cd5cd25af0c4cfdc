import { MemoryStore, type Options } from 'express-rate-limit';
import { ChorusError } from '../../shared/protocol/errors.ts';

export interface RequestLimits {
  /** Requests one socket may make per window. */
  perSocket: number;
  /** Requests all sockets from one IP address may make per window. */
  perIp: number;
  windowMs: number;
}

/**
 * Counts the expensive socket requests of open-mode clients (hello, model downloads, statistics) per socket and per
 * IP address, with express-rate-limit's fixed-window store (the one behind POST /api/predict's limit). A request
 * over either limit is refused with RATE_LIMITED and the seconds to wait, before it reaches the service.
 */
export class RequestLimiter {
  private readonly bySocket = new MemoryStore();
  private readonly byIp = new MemoryStore();

  constructor(readonly limits: RequestLimits) {
    // The store reads only windowMs from the options (it is written for express-rate-limit's own middleware).
    const options = { windowMs: limits.windowMs } as Options;
    this.bySocket.init(options);
    this.byIp.init(options);
  }

  /** Counts one request; throws RATE_LIMITED when the socket or its address is over its limit. */
  async check(socketId: string, ip: string, what: string): Promise<void> {
    const [socket, address] = await Promise.all([this.bySocket.increment(socketId), this.byIp.increment(ip)]);
    const over = socket.totalHits > this.limits.perSocket ? socket : address.totalHits > this.limits.perIp ? address : null;
    if (over === null) return;
    const seconds = Math.max(1, Math.ceil(((over.resetTime?.getTime() ?? Date.now() + this.limits.windowMs) - Date.now()) / 1000));
    const whose = over === socket ? 'this connection' : 'your address';
    throw new ChorusError('RATE_LIMITED', `${what}: too many requests from ${whose}; retry in ${seconds} s`);
  }

  close(): void {
    this.bySocket.shutdown();
    this.byIp.shutdown();
  }
}
