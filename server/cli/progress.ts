import cliProgress from 'cli-progress';

export interface ProgressBar {
  update(value: number, info?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr (stdout stays clean for --json). On a terminal it redraws in place; in a log
 * (CI, pipes) it prints a line every few seconds instead, so long work still shows it is alive.
 */
export function progressBar(label: string, total: number, enabled = true): ProgressBar {
  if (!enabled) return { update() {}, setTotal() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label.padEnd(10)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} {info}`,
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  const handle: ProgressBar = {
    update: (value, info = '') => bar.update(value, { info }),
    setTotal: (t) => bar.setTotal(t),
    stop: () => {
      bar.stop();
      active.delete(handle);
    },
  };
  active.add(handle);
  return handle;
}

/** Bars still drawing. A bar's timer keeps Node alive, so a failed command must stop them or it never exits. */
const active = new Set<ProgressBar>();

export function stopAllProgress(): void {
  for (const bar of [...active]) bar.stop();
}

/** A one-line status message on stderr (not a bar): for stages that have no measurable total. */
export function status(message: string): void {
  process.stderr.write(`${message}\n`);
}
