import type { FederationService } from '../federation/service/federation-service.ts';
import type { ChorusServer } from '../socket/types.ts';

/** An engine.io packet as its `packet` and `packetCreate` events give it. */
interface EnginePacket {
  type: string;
  data?: unknown;
}

/**
 * Reports every message each connection carries, both ways, to the federation service, which adds it to the
 * traffic of the round it belongs to: what is really sent (binary payloads, the JSON around them, acks), not an
 * estimate. Counted at the engine.io level, below socket.io's encoding: a text packet is its UTF-8 bytes plus the
 * one-byte packet type that precedes it on the WebSocket; a binary attachment is its bytes. WebSocket frame
 * headers (2–14 bytes a frame) and engine.io's pings are not counted.
 */
export function meterTraffic(io: ChorusServer, service: FederationService): void {
  io.on('connection', (socket) => {
    const count = (direction: 'up' | 'down') => (packet: EnginePacket) => {
      if (packet.type === 'message') service.traffic(socket.id, direction, packetBytes(packet.data));
    };
    socket.conn.on('packet', count('up'));
    socket.conn.on('packetCreate', count('down'));
  });
}

/** Bytes a message packet's data takes on the WebSocket. */
export function packetBytes(data: unknown): number {
  if (typeof data === 'string') return 1 + Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}
