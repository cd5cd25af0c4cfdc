/**
 * The one error type data loading throws. It always names the file (and the line, where there is one)
 * so the CLI can print a single actionable line instead of a stack trace.
 */
export class DataError extends Error {
  /** The file (or URL) the problem is in, as the user gave it. */
  readonly file: string;
  /** 1-based line number, where the format has lines. */
  readonly line?: number;
  /** The message without the `file:line:` prefix. */
  readonly detail: string;

  constructor(file: string, detail: string, options: { line?: number; cause?: unknown } = {}) {
    const where = options.line === undefined ? file : `${file}:${options.line}`;
    super(`${where}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataError';
    this.file = file;
    this.line = options.line;
    this.detail = detail;
  }
}

/** Shows a user-supplied value inside an error message, short enough to stay on one line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/** The message of anything thrown, for wrapping library errors (zlib, tar, fs) into a DataError. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
