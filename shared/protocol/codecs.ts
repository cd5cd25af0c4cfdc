import { z } from 'zod';

/**
 * The wire fields of codec negotiation (shared/codecs/ holds the codecs). Names travel as plain strings, checked
 * against the codecs this side knows after parsing: a newer peer's unknown codec is then a counted, explained
 * refusal (or skipped in the client's pick), not a schema failure.
 */
export const codecFieldSchema = z.string().min(1).max(32);

/** In `round:train`: the codecs the server accepts this round, its preferred first. Absent: bare float32 only. */
export const acceptedCodecsSchema = z.array(codecFieldSchema).min(1).max(16);
