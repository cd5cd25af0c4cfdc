/** Bumped on any incompatible change to the socket.io events or their payloads; checked at the handshake. */
// 2: models are fetched over HTTP (the `manifest` of round:train names them); `model:get` is gone.
export const PROTOCOL_VERSION = 2;
