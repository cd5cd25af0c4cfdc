import { DataError } from './errors.ts';

// `fatal: true` makes invalid UTF-8 an error instead of silently becoming U+FFFD, so a binary or
// Latin-1 file is reported rather than fed to the model as mojibake. A leading BOM is stripped.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a whole file as UTF-8. On failure it finds the first line holding invalid bytes so the
 * error can point at it (only done on the failure path, so the common case stays one decode).
 */
export function decodeUtf8File(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new DataError(file, 'text is not valid UTF-8', { line: firstInvalidUtf8Line(bytes) });
  }
}

/**
 * Decodes one review's bytes; an empty or whitespace-only review is an error, not an example.
 * `entry` names the review inside `file` when `file` is an archive.
 */
export function decodeReviewText(bytes: Uint8Array, file: string, entry?: string): string {
  const where = entry === undefined ? '' : `${entry}: `;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new DataError(file, `${where}review text is not valid UTF-8`);
  }
  if (text.trim() === '') throw new DataError(file, `${where}review text is empty`);
  return text;
}

function firstInvalidUtf8Line(bytes: Uint8Array): number | undefined {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      strictUtf8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return undefined;
}
