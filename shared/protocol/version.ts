/** Bumped on any incompatible change to the socket.io events or their payloads; checked at the handshake. */
export const PROTOCOL_VERSION = 1;
