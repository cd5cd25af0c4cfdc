/**
 * A minimal typed event emitter. The client core runs in a browser worker and in Node, so it cannot use
 * `node:events`; and UIs get compile-time checked event names and payloads.
 */
type Listener = (...args: never[]) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      // A failing UI listener must not break the federation protocol that called emit.
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (error) {
        console.error(`listener for '${String(event)}' threw:`, error);
      }
    }
  }
}
