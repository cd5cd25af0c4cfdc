import { z } from 'zod';

/**
 * Parses a strategy's options with its zod schema, with errors a person can act on: an unknown option
 * lists the valid ones (a typo such as `beta_1` must not silently fall back to a default), and invalid
 * values name the option. `undefined` means "all defaults".
 */
export function parseStrategyOptions<T extends z.ZodObject>(strategy: string, schema: T, input: unknown): z.output<T> {
  const raw = input ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`Options for strategy "${strategy}" must be an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  const valid = Object.keys(schema.shape);
  for (const key of Object.keys(raw)) {
    if (!valid.includes(key)) {
      const hint = valid.length === 0 ? 'it takes no options' : `valid options: ${valid.join(', ')}`;
      throw new Error(`Unknown option "${key}" for strategy "${strategy}"; ${hint}`);
    }
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
    throw new Error(`Invalid options for strategy "${strategy}": ${problems.join('; ')}`);
  }
  return result.data;
}

/** η: multiplies the server step. Bounded so that a typo (1e9) is caught rather than diverging silently. */
export const serverLearningRateOption = (defaultValue: number) => z.number().positive().max(1e3).default(defaultValue);

/** A decay rate such as β1, β2 or server momentum: in [0, 1), since 1 would never forget and diverges. */
export const decayOption = (defaultValue: number) => z.number().min(0).lt(1).default(defaultValue);

/** τ: the adaptivity floor of the adaptive optimisers' denominators; must be > 0 to avoid division by zero. */
export const tauOption = (defaultValue: number) => z.number().positive().max(1).default(defaultValue);
