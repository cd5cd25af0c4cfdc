import { z } from 'zod';
import type { BackendInfo, ClientSnapshot } from '../core/client-state.ts';

/** Page → training worker. Checked on arrival: the worker trusts nothing it did not parse. */
export const pageMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('join'),
    serverUrl: z.url({ protocol: /^https?$/ }),
    /** The page's `location.search`, for `?backend=` (a worker's own location is its script's). */
    search: z.string().max(2000),
    userAgent: z.string().max(300),
  }),
  z.object({ type: z.literal('pause'), paused: z.boolean() }),
  z.object({ type: z.literal('leave') }),
  /** "Forget me": leave the federation and erase this browser's Chorus data (IndexedDB). */
  z.object({ type: z.literal('forget') }),
]);

export type PageMessage = z.infer<typeof pageMessageSchema>;

/** Training worker → page. */
export type WorkerMessage =
  | { type: 'choosing-backend' }
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'snapshot'; snapshot: ClientSnapshot }
  /** The worker could not start a client at all (no backend works, bad message). */
  | { type: 'failed'; message: string }
  /** After `forget`: the client left and IndexedDB was erased (`problem` says what could not be done, if anything). */
  | { type: 'forgotten'; problem: string | null };
