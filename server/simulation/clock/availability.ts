import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Rng } from '../../../shared/random/rng.ts';

/** An online session [start, end) in simulated seconds. */
export type Session = readonly [number, number];

/**
 * An availability trace file: for each client a list of online sessions in seconds, sorted and apart. Client i of
 * a simulation follows trace entry i mod (entries), so a trace of 100 real devices drives 1,000 virtual clients.
 */
export const availabilityTraceSchema = z.strictObject({
  format: z.literal('chorus-availability'),
  clients: z
    .array(
      z.array(z.tuple([z.number().min(0).finite(), z.number().finite()]).refine(([start, end]) => end > start, 'a session must end after it starts')).refine(
        (sessions) => sessions.every((s, i) => i === 0 || s[0] >= sessions[i - 1][1]),
        'sessions must be sorted and must not overlap',
      ),
    )
    .min(1),
});
export type AvailabilityTrace = z.infer<typeof availabilityTraceSchema>;

export async function readAvailabilityTrace(file: string): Promise<AvailabilityTrace> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = availabilityTraceSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: not an availability trace: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Where the sessions come from: exponential on/off (seeded per client) or a trace. */
export type AvailabilitySource = { kind: 'exponential'; onMeanSeconds: number; offMeanSeconds: number; seed: number } | { kind: 'trace'; trace: AvailabilityTrace };

/**
 * When each simulated client is online. Exponential sessions are an alternating renewal process: a client starts
 * online with probability on / (on + off) (the long-run share), and since the exponential is memoryless its first
 * session or gap is a full draw. Sessions are drawn lazily and each client has its own generator, so a client's
 * timeline does not depend on which others were asked about, nor when: a seed gives the same trace every run.
 * Queries for one client must come at non-decreasing times (the simulations' clocks only move forward).
 */
export class Availability {
  private readonly upcoming: Session[][];
  private readonly draw: (() => Session | null)[];

  constructor(
    readonly clients: number,
    source: AvailabilitySource,
  ) {
    this.upcoming = Array.from({ length: clients }, () => []);
    this.draw = Array.from({ length: clients }, (_, i) => (source.kind === 'trace' ? traceSessions(source.trace.clients[i % source.trace.clients.length]) : exponentialSessions(source, i)));
  }

  /** Whether client i is online at time t. */
  isOnline(i: number, t: number): boolean {
    const s = this.current(i, t);
    return s !== null && s[0] <= t;
  }

  /** When client i's session that holds t ends (t itself when it is offline at t). */
  sessionEnd(i: number, t: number): number {
    const s = this.current(i, t);
    return s !== null && s[0] <= t ? s[1] : t;
  }

  /** The first time ≥ t at which client i is online; Infinity when it never is again. */
  nextOnline(i: number, t: number): number {
    const s = this.current(i, t);
    return s === null ? Number.POSITIVE_INFINITY : Math.max(s[0], t);
  }

  /** The first session of client i that ends after t (dropping those before), or null when there is none. */
  private current(i: number, t: number): Session | null {
    const queue = this.upcoming[i];
    for (;;) {
      while (queue.length > 0 && queue[0][1] <= t) queue.shift();
      if (queue.length > 0) return queue[0];
      const next = this.draw[i]();
      if (next === null) return null;
      queue.push(next);
    }
  }
}

function exponentialSessions(source: Extract<AvailabilitySource, { kind: 'exponential' }>, client: number): () => Session {
  const rng = new Rng((source.seed ^ Math.imul(client + 1, 0x9e3779b1)) >>> 0);
  const exp = (mean: number) => -mean * Math.log(1 - rng.next());
  const onShare = source.onMeanSeconds / (source.onMeanSeconds + source.offMeanSeconds);
  let clock = rng.next() < onShare ? 0 : exp(source.offMeanSeconds);
  return () => {
    const session: Session = [clock, clock + exp(source.onMeanSeconds)];
    clock = session[1] + exp(source.offMeanSeconds);
    return session;
  };
}

function traceSessions(sessions: readonly Session[]): () => Session | null {
  let index = 0;
  return () => (index < sessions.length ? sessions[index++] : null);
}
