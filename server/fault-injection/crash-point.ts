import { writeSync } from 'node:fs';
import { z } from 'zod';
import { Rng } from '../../shared/random/rng.ts';

/**
 * Fault injection for the crash test (server/serve/crash-durability.test.ts), off unless a test turns it on:
 *
 *   CHORUS_TEST_CRASH_AT=aggregation,commit   the points that may crash (any of `crashPoints`, comma-separated)
 *   CHORUS_TEST_CRASH_PROBABILITY=0.3         the chance that each pass through an armed point crashes
 *   CHORUS_TEST_CRASH_SEED=7                  the draws are seeded, so a failing run can be replayed
 *
 * At an armed point that draws a crash the server writes one line to stderr (`crash-point: SIGKILL at commit`) and
 * sends itself SIGKILL: no handler, no flush, no `finally`, exactly as a power cut or the OOM killer would stop it.
 * Kills from outside hit random moments; these hit the narrow windows where a crash does damage if anything does.
 * With the variable unset, `crashPoint()` returns at once and nothing else changes.
 */
export const crashPoints = [
  /** The round has closed: its updates are about to be combined and the optimizer stepped. */
  'aggregation',
  /** A new version is computed, not yet evaluated nor stored. */
  'evaluation',
  /** Inside the SQLite transaction, after its writes and before COMMIT. */
  'commit',
  /** Just after COMMIT, before the version is installed or announced. */
  'after-commit',
] as const;
export type CrashPoint = (typeof crashPoints)[number];

const envSchema = z.object({
  CHORUS_TEST_CRASH_AT: z
    .string()
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.enum(crashPoints)).min(1)),
  CHORUS_TEST_CRASH_PROBABILITY: z.coerce.number().min(0).max(1).default(0.3),
  CHORUS_TEST_CRASH_SEED: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(0),
});

interface Armed {
  points: Set<CrashPoint>;
  probability: number;
  rng: Rng;
}

/** Read once, at start: a bad value fails the start with the variable named, never a crash mid-round. */
function arm(env: NodeJS.ProcessEnv): Armed | null {
  if (env.CHORUS_TEST_CRASH_AT === undefined || env.CHORUS_TEST_CRASH_AT === '') return null;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`fault injection (CHORUS_TEST_CRASH_*): ${z.prettifyError(parsed.error)}`);
  const { CHORUS_TEST_CRASH_AT: points, CHORUS_TEST_CRASH_PROBABILITY: probability, CHORUS_TEST_CRASH_SEED: seed } = parsed.data;
  return { points: new Set(points), probability, rng: new Rng(seed) };
}

const armed = arm(process.env);

/** A place where the crash test may kill the server; a no-op unless CHORUS_TEST_CRASH_AT arms this point. */
export function crashPoint(point: CrashPoint): void {
  if (!armed || !armed.points.has(point)) return;
  if (armed.rng.next() >= armed.probability) return;
  // Synchronous: the line must be out before the signal, which no code outlives.
  writeSync(2, `crash-point: SIGKILL at ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
}
