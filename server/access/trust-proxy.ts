import type { IncomingMessage } from 'node:http';
import express, { type Express, type Request } from 'express';

/**
 * `--trust-proxy`: which hops in front of the server may say who the client is (X-Forwarded-For). Off (`false`) by
 * default: the header is anyone's to write, so trusting it without a proxy that overwrites it would let every
 * client pick its own address, and with it a fresh set of per-IP slots and rate limits at each connection.
 * A number trusts that many proxies nearest the server; a list trusts the proxies at those addresses or subnets
 * (and the names `loopback`, `linklocal`, `uniquelocal`), as express's "trust proxy" setting does.
 */
export type TrustProxy = false | number | string[];

export const MAX_PROXY_HOPS = 16;

export class TrustProxyError extends Error {}

/** Parses the flag's value (`2`, `loopback`, `10.0.0.1, 10.0.0.0/8`), or a config file's number, string or list. */
export function parseTrustProxy(value: number | string | readonly string[]): TrustProxy {
  const text = (typeof value === 'object' ? value.join(',') : String(value)).trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > MAX_PROXY_HOPS) throw new TrustProxyError(`a number of proxies from 1 to ${MAX_PROXY_HOPS} (leave it unset to trust none), got ${text}`);
    return hops;
  }
  if (text === 'true' || text === 'false') {
    throw new TrustProxyError(`give the number of proxies in front of the server or their addresses, not ${text}: trusting every hop would let any client choose its address`);
  }
  const list = text.split(',').map((entry) => entry.trim());
  if (list.some((entry) => entry === '')) throw new TrustProxyError(`a comma-separated list of proxy addresses, subnets or loopback/linklocal/uniquelocal, got "${text}"`);
  // express compiles the setting with proxy-addr, which refuses an address or subnet it cannot parse.
  try {
    express().set('trust proxy', list);
  } catch (error) {
    throw new TrustProxyError(`${(error as Error).message} (expected addresses, subnets like 10.0.0.0/8, or loopback/linklocal/uniquelocal)`);
  }
  return list;
}

/** Says in one line what the setting means, for the start-up log. */
export function describeTrustProxy(trust: TrustProxy): string {
  if (trust === false) return 'X-Forwarded-For ignored: a client is the address of its connection';
  if (typeof trust === 'number') return `X-Forwarded-For trusted through the ${trust} nearest prox${trust === 1 ? 'y' : 'ies'}`;
  return `X-Forwarded-For trusted from proxies at ${trust.join(', ')}`;
}

/**
 * The client's address for a request that did not go through express (socket.io's handshake), found exactly as
 * express finds `req.ip` under the app's "trust proxy" setting: the per-IP slots and request limits of socket
 * clients then count the same address as the prediction API's rate limit.
 */
export function clientAddress(app: Express, request: IncomingMessage): string {
  const view = Object.create(app.request, { headers: { value: request.headers }, socket: { value: request.socket }, connection: { value: request.socket } }) as Request;
  return view.ip ?? request.socket.remoteAddress ?? 'unknown';
}
