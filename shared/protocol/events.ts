import type { ErrorBody } from './errors.ts';
import type { FederationState } from './dashboard.ts';
import type {
  Hello,
  HelloReply,
  ModelAnnouncement,
  ModelPayload,
  ModelRequest,
  Progress,
  RoundCancel,
  ShardReply,
  ShardRequest,
  StatsRequest,
  StatsSubmit,
  TrainRequest,
  UpdateReceipt,
  UpdateSubmit,
} from './messages.ts';

/** Every ack carries either the result or one of the closed set of error codes. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
type AckFn<T> = (reply: Ack<T>) => void;

/**
 * The one typed socket.io event map, shared by server and clients (`Server<ClientToServerEvents, ServerToClientEvents>`
 * and `Socket<ServerToClientEvents, ClientToServerEvents>`). Types only: payloads are still parsed with the zod
 * schemas in messages.ts on arrival.
 */
export interface ServerToClientEvents {
  'round:stats': (msg: StatsRequest) => void;
  'round:train': (msg: TrainRequest) => void;
  'round:cancel': (msg: RoundCancel) => void;
  'model:updated': (msg: ModelAnnouncement) => void;
  /** Dashboards only (they join the `dashboard` room). */
  'federation:state': (state: FederationState) => void;
}

export interface ClientToServerEvents {
  hello: (msg: Hello, ack: AckFn<HelloReply>) => void;
  'shard:request': (msg: ShardRequest, ack: AckFn<ShardReply>) => void;
  'model:get': (msg: ModelRequest, ack: AckFn<ModelPayload>) => void;
  'stats:submit': (msg: StatsSubmit, ack: AckFn<{ accepted: true }>) => void;
  'update:submit': (msg: UpdateSubmit, ack: AckFn<UpdateReceipt>) => void;
  progress: (msg: Progress) => void;
  /** The person paused or resumed contributing on the page. */
  'client:pause': (msg: { paused: boolean }) => void;
}
