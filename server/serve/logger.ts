import pino, { type Level, type Logger } from 'pino';

export type LogLevel = Level | 'silent';

/** Logs go to stderr (stdout is kept for --json lines), written synchronously so nothing is lost at exit. */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 2, sync: true }));
}
