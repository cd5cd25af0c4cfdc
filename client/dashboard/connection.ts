import { io, type Socket } from 'socket.io-client';
import type { FederationState } from '../../shared/protocol/dashboard.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import { payloadSchema } from '../../shared/protocol/socket-events.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { ConnectionStatus } from './views.ts';

export interface DashboardHandlers {
  onState(state: FederationState): void;
  onStatus(status: ConnectionStatus): void;
  /** A snapshot that failed validation (the page is older or newer than the server). */
  onInvalid(message: string): void;
}

/** Error codes with which the server refuses the handshake itself: retrying the same handshake cannot help. */
const FINAL_REFUSALS = new Set(['PROTOCOL_MISMATCH', 'BAD_REQUEST', 'UNAUTHORIZED']);

/**
 * Watches the federation as a `dashboard` socket: the server puts it in the dashboard room and pushes a
 * `federation:state` snapshot on every change. Reconnects forever, but never more than 5 s apart, since someone
 * is looking at the page.
 */
export function connectDashboard(url: string | undefined, handlers: DashboardHandlers): { close(): void } {
  const options = {
    auth: { protocolVersion: PROTOCOL_VERSION, kind: 'dashboard' as const },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = url ? io(url, options) : io(options);
  let lostAt: number | null = null;
  let attempt = 0;

  const lost = () => {
    lostAt ??= Date.now();
    handlers.onStatus({ kind: 'reconnecting', attempt, since: lostAt });
  };

  socket.on('connect', () => {
    lostAt = null;
    attempt = 0;
    handlers.onStatus({ kind: 'live' });
  });
  socket.on('disconnect', (reason) => {
    lost();
    // After a server-side disconnect socket.io does not come back by itself.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.io.on('reconnect_attempt', (n) => {
    attempt = n;
    lost();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
    const code = error.data?.code;
    if (code && FINAL_REFUSALS.has(code)) handlers.onStatus({ kind: 'refused', message: `The server refused this dashboard (${code}): ${error.data?.message ?? error.message}` });
    else lost();
  });
  socket.on('federation:state', (raw: unknown) => {
    const parsed = payloadSchema('federation:state').safeParse(raw);
    if (parsed.success) handlers.onState(parsed.data);
    else handlers.onInvalid(parsed.error.issues.map((i) => `${i.path.join('.') || 'snapshot'}: ${i.message}`).join('; '));
  });
  return { close: () => void socket.disconnect() };
}
