import { z } from 'zod';

/**
 * Measured training throughput of the linear model at 2^20 buckets on this project's 2-core machine
 * (`npm run bench -- --only training-throughput`, batch 64, Adam): tfjs-wasm 2,623 examples/s, tfjs-cpu 159.6
 * examples/s (16.4× slower). WebGPU cannot run under Node, so no figure of it exists here; the fastest simulated
 * device is the measured WASM one.
 */
export const MEASURED_WASM_EXAMPLES_PER_SECOND = 2623;
export const MEASURED_CPU_EXAMPLES_PER_SECOND = 159.6;

/**
 * The realism of `chorus simulate --mode sync|async`: when clients are online, how fast they train, how fast
 * their links are, and (sync) how many more than needed a round asks. Every duration is simulated time.
 */
export const clockSettingsSchema = z.strictObject({
  /** Mean length of an online session (exponential), in minutes. */
  onMeanMinutes: z.number().positive().max(1e6).default(10),
  /** Mean length of an offline gap (exponential), in minutes; equal means: half the clients offline at any time. */
  offMeanMinutes: z.number().positive().max(1e6).default(10),
  /** A JSON availability trace (availability.ts) instead of the exponential sessions. */
  availabilityTrace: z.string().min(1).optional(),
  /** The fastest device's training throughput, examples/s (default: the measured WASM figure). */
  speedMax: z.number().positive().max(1e9).default(MEASURED_WASM_EXAMPLES_PER_SECOND),
  /** Fastest / slowest device: throughputs are log-uniform over [speedMax / spread, speedMax]. */
  speedSpread: z.number().min(1).max(1e6).default(10),
  /** Each client's downlink and uplink, Mbit/s (the same for every client). */
  downlinkMbps: z.number().positive().max(1e6).default(20),
  uplinkMbps: z.number().positive().max(1e6).default(5),
  /** Sync: a round asks ⌈K·(1 + overSelect)⌉ online clients and closes at the K-th update; the late ones are cancelled. */
  overSelect: z.number().min(0).max(10).default(0.3),
  /** A budget of simulated time: stop at the first round or version made at or past it (evaluated), whatever --rounds says. */
  maxHours: z.number().positive().max(1e6).default(24),
});
export type ClockSettings = z.output<typeof clockSettingsSchema>;
