/**
 * The contributor page. The training worker does the work; this page only forwards the person's actions (consent,
 * join, pause, forget) and what the browser says (tab hidden, not charging), and draws the state (state → render),
 * so it stays responsive while a round trains.
 */
import { eraseClientStorage } from '../browser/idb-storage.ts';
import { batterySupported, watchCharging, watchVisibility } from '../browser/page-pause.ts';
import { renderPage } from '../browser/page-render.ts';
import { initialPageState, reduce, wantsPause, type PageAction, type PageState } from '../browser/page-state.ts';
import { startTrainingWorker, type TrainingWorker } from '../browser/page-worker.ts';
import type { WorkerMessage } from '../browser/worker-protocol.ts';

let state: PageState = { ...initialPageState, battery: { ...initialPageState.battery, supported: batterySupported(navigator) } };
let worker: TrainingWorker | null = null;
/** What the worker was last told, so a change of pause reasons sends one message, not one per render. */
let workerPaused = false;
let chargingWatched = false;

function dispatch(action: WorkerMessage | PageAction): void {
  state = reduce(state, action);
  renderPage(document, state);
  syncPause();
}

function syncPause(): void {
  const paused = wantsPause(state);
  if (!worker || paused === workerPaused) return;
  workerPaused = paused;
  worker.send({ type: 'pause', paused });
}

/** The server this page came from, unless `?server=` names another (for a dev server on another port). */
function serverUrl(): string {
  const requested = new URLSearchParams(location.search).get('server');
  if (requested && /^https?:\/\/[^\s/]+\/?$/.test(requested)) return requested.replace(/\/$/, '');
  return location.origin;
}

/** Joins only with the person's consent; a join after a failure reuses the worker. Returns whether it joined. */
function join(): boolean {
  if (!state.consent || state.phase === 'starting' || state.phase === 'running' || state.forgetting) return false;
  if (!worker) {
    const started = startTrainingWorker();
    worker = started;
    workerPaused = false;
    // A worker that was ended by "Forget me" may still have messages on their way: they are not this page's any more.
    started.onMessage((message) => {
      if (worker !== started) return;
      if (message.type === 'forgotten') endWorker();
      dispatch(message);
    });
  }
  worker.send({ type: 'join', serverUrl: serverUrl(), search: location.search, userAgent: navigator.userAgent.slice(0, 300) });
  dispatch({ type: 'join' });
  return true;
}

function endWorker(): void {
  worker?.terminate();
  worker = null;
  workerPaused = false;
}

/** "Forget me": the worker leaves and erases IndexedDB; without a worker, the page erases it itself. */
function forget(): void {
  if (state.forgetting) return;
  dispatch({ type: 'forget' });
  const asked = worker;
  if (!asked) return eraseHere();
  asked.send({ type: 'forget' });
  // A worker that does not answer (crashed, stuck in a long step) is ended, and the page erases the data itself.
  setTimeout(() => {
    if (worker !== asked || !state.forgetting) return;
    endWorker();
    eraseHere();
  }, 5_000);
}

function eraseHere(): void {
  eraseClientStorage().then(
    () => dispatch({ type: 'forgotten', problem: null }),
    (error: unknown) => dispatch({ type: 'forgotten', problem: error instanceof Error ? error.message : String(error) }),
  );
}

function setUserPaused(paused: boolean): void {
  dispatch({ type: 'user-pause', paused });
  // The pressed button is now disabled: keep the keyboard focus on the one that undoes it.
  document.getElementById(paused ? 'resume' : 'pause')?.focus();
}

function setOnlyWhileCharging(enabled: boolean): void {
  dispatch({ type: 'only-while-charging', enabled });
  if (!enabled || chargingWatched) return;
  chargingWatched = true;
  watchCharging(navigator, (charging) => dispatch({ type: 'charging', charging })).catch((error: unknown) => {
    chargingWatched = false;
    dispatch({ type: 'battery-failed', message: error instanceof Error ? error.message : String(error) });
  });
}

declare global {
  interface Window {
    /** For end-to-end tests: read the page's state without scraping it, and join (after consent) without clicking. */
    chorusTest: { state(): PageState; join(): boolean };
  }
}

window.chorusTest = { state: () => structuredClone(state), join };

const on = (id: string, event: string, listener: (target: HTMLInputElement) => void) =>
  document.getElementById(id)?.addEventListener(event, (e) => listener(e.currentTarget as HTMLInputElement));
on('consent', 'change', (input) => dispatch({ type: 'consent', agreed: input.checked }));
on('join', 'click', () => join());
on('pause', 'click', () => setUserPaused(true));
on('resume', 'click', () => setUserPaused(false));
on('only-charging', 'change', (input) => setOnlyWhileCharging(input.checked));
on('forget', 'click', () => forget());

renderPage(document, state);
// The chart is drawn at its shown width (a phone turned sideways).
window.addEventListener('resize', () => renderPage(document, state));
watchVisibility(document, (hidden) => dispatch({ type: 'visibility', hidden }));
