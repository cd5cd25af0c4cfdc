import { statusText, type PageState } from './page-state.ts';

/**
 * The parts of the contributor page the person acts on: consent and Join, Pause/Resume, "only while charging",
 * "Forget me", and the status and notice lines that answer them.
 */
export function renderControls(doc: Document, state: PageState): void {
  renderConsent(doc, state);
  renderStatus(doc, state);
  renderPauseControls(doc, state);
  renderNotice(doc, state);
  byId<HTMLButtonElement>(doc, 'forget').disabled = state.forgetting;
}

export function byId<T extends HTMLElement = HTMLElement>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const joined = (state: PageState) => state.phase === 'starting' || state.phase === 'running';

function renderConsent(doc: Document, state: PageState): void {
  const checkbox = byId<HTMLInputElement>(doc, 'consent');
  checkbox.checked = state.consent;
  const button = byId<HTMLButtonElement>(doc, 'join');
  // Nothing connects before the person agreed; joining again is only offered after a failure.
  button.disabled = !state.consent || joined(state);
  button.textContent = joined(state) ? 'Joined' : 'Join the federation';
  byId(doc, 'join-row').hidden = joined(state);
  byId(doc, 'contribution').hidden = state.phase === 'ready';
  // The long text folds away once joined (still one tap away), and opens again when the page is back to the start.
  const details = byId<HTMLDetailsElement>(doc, 'consent-details');
  const group = joined(state) ? 'joined' : 'not-joined';
  if (details.dataset.group !== group) {
    details.dataset.group = group;
    details.open = group === 'not-joined';
  }
}

function renderStatus(doc: Document, state: PageState): void {
  const status = byId(doc, 'status');
  const text = statusText(state);
  // Rewriting equal text would make some screen readers announce it again.
  if (status.textContent !== text) status.textContent = text;
  // Styled as paused as soon as the page asked for it, before the worker confirms.
  status.dataset.state = text.startsWith('Paused') ? 'paused' : (state.client?.state ?? state.phase);
}

function renderPauseControls(doc: Document, state: PageState): void {
  const live = state.phase === 'running' && state.client !== null && !['stopped', 'error'].includes(state.client.state);
  byId<HTMLButtonElement>(doc, 'pause').disabled = !live || state.userPaused;
  byId<HTMLButtonElement>(doc, 'resume').disabled = !live || !state.userPaused;
  byId(doc, 'charging-option').hidden = !state.battery.supported;
  byId<HTMLInputElement>(doc, 'only-charging').checked = state.battery.onlyWhileCharging;
}

function renderNotice(doc: Document, state: PageState): void {
  const notice = byId(doc, 'notice');
  notice.hidden = state.notice === null;
  if (notice.textContent !== (state.notice ?? '')) notice.textContent = state.notice ?? '';
}
