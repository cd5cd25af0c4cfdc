import type { ClientSnapshot } from './client-state.ts';

/** Lists in a snapshot keep their latest entries only: a client may run for thousands of rounds. */
export const maxHistory = 500;

type ListKey = 'localRounds' | 'failedRounds' | 'globalHistory';

/** The client's snapshot, changed only through `patch`/`push`, each of which notifies `onChange` with a copy. */
export class SnapshotStore {
  constructor(
    private state: ClientSnapshot,
    private readonly onChange: (snapshot: ClientSnapshot) => void,
  ) {}

  get value(): Readonly<ClientSnapshot> {
    return this.state;
  }

  patch(changes: Partial<ClientSnapshot>): void {
    this.state = { ...this.state, ...changes };
    this.onChange(this.copy());
  }

  push<K extends ListKey>(key: K, item: ClientSnapshot[K][number]): void {
    const list = [...this.state[key], item].slice(-maxHistory) as ClientSnapshot[K];
    this.patch({ [key]: list } as Partial<ClientSnapshot>);
  }

  /** A deep copy: listeners (and the worker's postMessage) may keep it while the client moves on. */
  copy(): ClientSnapshot {
    return structuredClone(this.state);
  }
}
