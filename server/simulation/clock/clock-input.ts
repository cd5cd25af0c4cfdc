import { ChorusError } from '../../../shared/protocol/errors.ts';
import type { RoundsInput } from '../in-process.ts';
import type { Availability } from './availability.ts';
import type { ClockSettings } from './clock-settings.ts';
import { ClientSteps } from './client-step.ts';
import { readySeconds, uploadSeconds } from './devices.ts';
import type { VirtualClient } from '../virtual-clients.ts';

/** A run on the simulated clock: the in-process run's input, when each client is online, and how fast it is. */
export interface ClockRunInput extends RoundsInput {
  clock: ClockSettings;
  availability: Availability;
  /** Examples/s of client i (devices.ts). */
  throughputs: Float64Array;
}

/** What a clock run counts between two versions, beside the engine's metrics. */
export interface ClockCounts {
  /** Local trainings that finished and were uploaded (accepted or refused). */
  clientUpdates: number;
  /** Trainings lost because the client went offline before finishing. */
  dropouts: number;
  /** Sync: over-selected clients cancelled when the round reached its quorum. */
  cancelled: number;
  /** Refused by the server (too stale, over the norm bound), by the error's code. */
  refused: number;
}

export const noCounts = (): ClockCounts => ({ clientUpdates: 0, dropouts: 0, cancelled: 0, refused: 0 });

/** Shared helpers of the two clock modes. */
export function clockRun(input: ClockRunInput) {
  const ids = input.clients.map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const steps = new ClientSteps({ seed: input.config.seed, codec: input.config.codec, evalFraction: input.config.evalFraction, clientIndex: (id) => index.get(id) as number });
  return {
    ids,
    steps,
    /** Simulated seconds until client i has trained, with `bytesDown` to fetch first. */
    readySeconds(i: number, epochs: number, bytesDown: number): number {
      const client = input.clients[i] as VirtualClient;
      const examples = Math.max(1, Math.round(client.data.labels.length * (1 - input.config.evalFraction)));
      return readySeconds({ examples, epochs, throughput: input.throughputs[i], bytesDown }, input.clock);
    },
    /** Simulated seconds to upload an update of `bytes` (as validated: what the codec sent, with the message's fields). */
    uploadSeconds(bytes: number): number {
      return uploadSeconds(bytes, input.clock);
    },
    /** The first time ≥ t at which any of `clients` (indices) is online. */
    nextOnline(t: number, clients: Iterable<number>): number {
      let next = Number.POSITIVE_INFINITY;
      for (const i of clients) next = Math.min(next, input.availability.nextOnline(i, t));
      return next;
    },
  };
}

/** A client's update refused by the server is its answer, counted; anything else is a fault of the run. */
export function isRefusal(error: unknown): error is ChorusError {
  return error instanceof ChorusError;
}
