export type { EncodeOptions, UplinkCodec } from './codec.ts';
export { CodecError, codecRejectionReasons, type CodecRejectionReason } from './codec-error.ts';
export { HEADER_BYTES } from './header.ts';
export { flatLayout, layoutOf, type DeltaLayout } from './layout.ts';
export { codecNames, codecNameSchema, codecOf, decodeUpdate, DEFAULT_CODEC, encodeUpdate, pickCodec, type CodecName } from './registry.ts';
