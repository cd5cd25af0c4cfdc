import { loadDataset } from '../data/dataset.ts';
import { ValidationSet } from '../federation/aggregation/validation-loss.ts';
import { StartError } from './federation-start.ts';

/** Scoring costs O(the set's words) per update, kept in memory: a bound on what an operator can hand the server. */
export const MAX_VALIDATION_EXAMPLES = 10_000;

/**
 * The validation filter's labelled set from `--validation-data`: a .jsonl or .csv file of reviews (the dataset
 * readers check every record's text and label and name the line of a bad one). An IMDB source, which has its own
 * train/test split, is refused: its test half is what the server evaluates on, and the filter must not fit it.
 */
export async function readValidationSet(path: string): Promise<ValidationSet> {
  const dataset = await loadDataset(path).catch((error: Error) => {
    throw new StartError(`--validation-data: ${error.message}`);
  });
  if (dataset.split === 'given') throw new StartError(`--validation-data: ${path} is an IMDB source with a train/test split; give a .jsonl or .csv of reviews kept apart from the test set`);
  const examples = [...dataset.train, ...dataset.test];
  if (examples.length > MAX_VALIDATION_EXAMPLES) throw new StartError(`--validation-data: ${path} has ${examples.length} reviews; the filter takes at most ${MAX_VALIDATION_EXAMPLES}`);
  try {
    return new ValidationSet(examples);
  } catch (error) {
    throw new StartError(`--validation-data: ${path}: ${(error as Error).message}`);
  }
}
