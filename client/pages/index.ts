/**
 * The contributor page. The training worker does the work; this page only forwards the person's actions and
 * draws the state the worker reports (state → render), so it stays responsive while a round trains.
 */
import { renderPage } from '../browser/page-render.ts';
import { initialPageState, reduce, type PageState } from '../browser/page-state.ts';
import { startTrainingWorker, type TrainingWorker } from '../browser/page-worker.ts';

let state: PageState = initialPageState;
let worker: TrainingWorker | null = null;

function update(next: PageState): void {
  state = next;
  renderPage(document, state);
}

/** The server this page came from, unless `?server=` names another (for a dev server on another port). */
function serverUrl(): string {
  const requested = new URLSearchParams(location.search).get('server');
  if (requested && /^https?:\/\/[^\s/]+\/?$/.test(requested)) return requested.replace(/\/$/, '');
  return location.origin;
}

function join(): void {
  if (worker && state.phase !== 'failed') return;
  if (!worker) {
    worker = startTrainingWorker();
    worker.onMessage((message) => update(reduce(state, message)));
  }
  worker.send({ type: 'join', serverUrl: serverUrl(), search: location.search, userAgent: navigator.userAgent.slice(0, 300) });
  update({ ...state, phase: 'starting', failure: null });
}

declare global {
  interface Window {
    /** For end-to-end tests: read the page's state without scraping it, and join without clicking. */
    chorusTest: { state(): PageState; join(): void };
  }
}

window.chorusTest = { state: () => structuredClone(state), join };
document.getElementById('join')?.addEventListener('click', join);
renderPage(document, state);
