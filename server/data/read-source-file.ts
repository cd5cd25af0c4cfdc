import { readFile } from 'node:fs/promises';
import { DataError, errorMessage } from './errors.ts';
import { decodeUtf8File } from './text.ts';

/** Reads a single-file source as UTF-8 text, turning fs errors and empty files into DataErrors. */
export async function readSourceText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorMessage(error);
    throw new DataError(path, detail, { cause: error });
  }
  const text = decodeUtf8File(bytes, path);
  if (text.trim() === '') throw new DataError(path, 'file is empty');
  return text;
}
