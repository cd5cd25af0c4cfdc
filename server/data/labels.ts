import { z } from 'zod';

/** The label spellings single-file sources may use; words are matched case-insensitively. */
const labelWords = { negative: 0, neg: 0, positive: 1, pos: 1, '0': 0, '1': 1 } as const;

export const labelSchema = z.union([
  z.literal(0),
  z.literal(1),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(Object.keys(labelWords) as [keyof typeof labelWords, ...(keyof typeof labelWords)[]]))
    .transform((word): 0 | 1 => labelWords[word]),
]);

export const LABEL_EXPECTATION = 'label must be 0, 1, "negative" or "positive"';
