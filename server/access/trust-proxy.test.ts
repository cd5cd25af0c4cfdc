import type { IncomingMessage } from 'node:http';
import express from 'express';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { checkServerSettings } from '../serve/server-options.ts';
import type { RunningServer } from '../serve/start-server.ts';
import { connected, type ClientSocket } from '../serve/testing/scripted-client.ts';
import { startTestServer } from '../serve/testing/test-server.ts';
import { clientAddress, describeTrustProxy, parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

/** A request from `remote` with this X-Forwarded-For, as the socket handshake sees it. */
function request(remote: string, forwardedFor?: string): IncomingMessage {
  return { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: remote } } as unknown as IncomingMessage;
}

function addressUnder(trust: TrustProxy, req: IncomingMessage): string {
  const app = express();
  app.set('trust proxy', trust);
  return clientAddress(app, req);
}

describe('parseTrustProxy', () => {
  it('reads a number of hops, or a list of addresses, subnets and names', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(2)).toBe(2);
    expect(parseTrustProxy(' loopback, 10.0.0.0/8 ,192.168.1.7')).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7']);
    expect(parseTrustProxy(['loopback', '::1'])).toEqual(['loopback', '::1']);
  });

  it('refuses "trust everyone", zero hops, and addresses it cannot parse, saying why', () => {
    expect(() => parseTrustProxy('true')).toThrow(/trusting every hop would let any client choose its address/);
    expect(() => parseTrustProxy('0')).toThrow(/from 1 to 16 \(leave it unset to trust none\)/);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow(/10\.0\.0\.0\/99/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/invalid IP address: proxy\.example/);
    expect(() => parseTrustProxy('loopback,,10.0.0.1')).toThrow(/comma-separated list/);
  });

  it('is off unless set, and a bad value is an options error naming the flag', () => {
    expect(checkServerSettings({ data: 'x' }).settings.trustProxy).toBe(false);
    expect(checkServerSettings({ data: 'x', trustProxy: 'loopback' }).settings.trustProxy).toEqual(['loopback']);
    // What `chorus serve` hands to startServer is its checked settings: the parsed form is accepted again.
    expect(checkServerSettings({ data: 'x', trustProxy: ['loopback'] }).settings.trustProxy).toEqual(['loopback']);
    expect(() => checkServerSettings({ data: 'x', trustProxy: 'everyone' })).toThrow(/trustProxy \(--trust-proxy\).*invalid IP address: everyone/);
    expect(describeTrustProxy(false)).toMatch(/ignored/);
  });
});

describe('clientAddress', () => {
  it('ignores X-Forwarded-For when off: the address is the connection\'s', () => {
    expect(addressUnder(false, request('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
  });

  it('takes the address the trusted proxies saw, never one written further out', () => {
    // The client wrote "6.6.6.6" itself; the one proxy appended the address it saw the client at.
    expect(addressUnder(1, request('10.0.0.2', '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9');
    expect(addressUnder(['loopback'], request('127.0.0.1', '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9');
    // Not from a trusted proxy: the header is anyone's, so it is not believed.
    expect(addressUnder(['10.0.0.0/8'], request('198.51.100.4', '203.0.113.9'))).toBe('198.51.100.4');
    expect(addressUnder(1, request('10.0.0.2'))).toBe('10.0.0.2');
  });
});

describe('--trust-proxy on real sockets and HTTP (per-IP slots and the predict rate limit)', () => {
  let server: RunningServer | null = null;
  const sockets: ClientSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server?.close();
  });
  /** A token-less browser behind the proxy, which says it came from `ip`. */
  const browserFrom = (ip: string) => {
    const socket: ClientSocket = io(server?.url ?? '', { auth: { protocolVersion: PROTOCOL_VERSION, kind: 'browser' }, extraHeaders: { 'X-Forwarded-For': ip }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    return connected(socket);
  };
  const predictFrom = (ip: string) =>
    fetch(`${server?.url}/api/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip }, body: JSON.stringify({ texts: ['fine'] }) });

  it('on: clients behind one proxy get a slot and a rate limit each', async () => {
    server = await startTestServer({ open: true, maxClientsPerIp: 1, predictPerMinute: 1, trustProxy: 'loopback' });
    await browserFrom('203.0.113.1');
    await browserFrom('203.0.113.2');
    await expect(browserFrom('203.0.113.1')).rejects.toMatchObject({ data: { code: 'RATE_LIMITED' } });
    expect((await predictFrom('203.0.113.1')).status).not.toBe(429);
    expect((await predictFrom('203.0.113.2')).status).not.toBe(429);
    expect((await predictFrom('203.0.113.1')).status).toBe(429);
  });

  it('off (the default): X-Forwarded-For changes nothing, every client is the connection\'s address', async () => {
    server = await startTestServer({ open: true, maxClientsPerIp: 1, predictPerMinute: 1 });
    await browserFrom('203.0.113.1');
    await expect(browserFrom('203.0.113.2')).rejects.toMatchObject({ data: { code: 'RATE_LIMITED' } });
    expect((await predictFrom('203.0.113.1')).status).not.toBe(429);
    expect((await predictFrom('203.0.113.2')).status).toBe(429);
  });
});
