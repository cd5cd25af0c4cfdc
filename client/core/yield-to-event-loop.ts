/**
 * Lets queued events (socket messages, a page's "pause", timers) run. Training on cpu/wasm only awaits promises
 * that resolve as microtasks, so without this a whole round would hold the event loop and the client could not
 * hear a cancel or pause until it ended. A macrotask: setImmediate in Node, a MessageChannel message in browsers
 * (setTimeout(0) is clamped to 4 ms when nested).
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      // addEventListener + start(), not `onmessage`: this module is checked against both the DOM's and Node's
      // MessagePort types, and only the EventTarget part is common to them.
      channel.port1.addEventListener('message', () => {
        channel.port1.close();
        resolve();
      });
      channel.port1.start();
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Yields at most every `intervalMs` of busy time, so the cost stays negligible next to a training step. */
export function periodicYield(intervalMs: number, now: () => number = () => performance.now()): () => Promise<void> | void {
  let last = now();
  return () => {
    if (now() - last < intervalMs) return;
    return yieldToEventLoop().then(() => {
      last = now();
    });
  };
}
