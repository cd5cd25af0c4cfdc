import type { FederationState } from '../../shared/protocol/dashboard.ts';

/** Shown where a number is not known yet (e.g. accuracy before the first evaluation). */
export const MISSING = '—';

/** 0.8123 → "81.2%". */
export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A plain number with fixed decimals, or the missing mark. */
export function fixed(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toFixed(digits);
}

/** 12345 → "12,345" (the same on every machine, whatever its locale). */
export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds left → "m:ss", or "h:mm:ss" from an hour on; never negative. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An ISO timestamp → local "HH:MM:SS"; the raw text when it is not a date. */
export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Client ids are long random strings; the first 8 characters tell them apart on a dashboard. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

const PHASES: Record<FederationState['phase'], string> = {
  idle: 'Idle',
  'waiting-for-clients': 'Waiting for clients',
  statistics: 'Counting word statistics',
  training: 'Training',
  aggregating: 'Aggregating updates',
  evaluating: 'Evaluating the new model',
  finished: 'Finished',
};

export function phaseLabel(phase: FederationState['phase']): string {
  return PHASES[phase];
}

/**
 * The phase with the operator's controls: a paused federation that waits says "Paused by the operator" rather than
 * "Waiting for clients" (more clients would not start a round); one that pauses or stops after the open round says
 * so beside the phase. A finished federation is only finished.
 */
export function federationLabel(phase: FederationState['phase'], control: FederationState['control']): string {
  if (phase === 'finished') return PHASES.finished;
  if (control.stopAfterRound) return phase === 'waiting-for-clients' || phase === 'idle' ? 'Stopping (asked by the operator)' : `${PHASES[phase]} · stopping after this round`;
  if (control.paused) return phase === 'waiting-for-clients' || phase === 'idle' ? 'Paused by the operator' : `${PHASES[phase]} · paused after this round`;
  return PHASES[phase];
}

/** The phase element's state for styling: 'paused' or 'stopping' while the operator's control applies. */
export function controlState(phase: FederationState['phase'], control: FederationState['control']): 'paused' | 'stopping' | 'running' {
  if (phase === 'finished') return 'running';
  return control.stopAfterRound ? 'stopping' : control.paused ? 'paused' : 'running';
}

/** "1 client", "3 clients". */
export function plural(count: number, noun: string): string {
  return `${integer(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** BAD_REQUEST → "Bad request". */
export function codeLabel(code: string): string {
  const words = code.toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}
