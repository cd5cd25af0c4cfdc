/** Machine-readable results go to stdout as one JSON document; everything for people goes to stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}

export function percent(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}
