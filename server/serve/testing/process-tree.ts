import { readdirSync, readFileSync } from 'node:fs';

/** Tests only: the processes a command started, to check that stopping it leaves none behind. Linux (/proc). */
export interface ProcessInfo {
  pid: number;
  command: string;
}

/** Every descendant of `pid` (children, their children…), with its command line. */
export function descendantsOf(pid: number): ProcessInfo[] {
  const children: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces, so split after it.
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[1]) === pid) children.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // The process ended while we looked.
    }
  }
  return [...children, ...children.flatMap((c) => descendantsOf(c.pid))];
}

/** Whether a process with this pid still exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
