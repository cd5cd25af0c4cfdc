import { apiPredictor } from './api-mode.ts';
import { parseDebounce, parseMode, parseServer, type WidgetMode } from './attributes.ts';
import { LiveScorer } from './live-scorer.ts';
import { lazyLocalPredictor, type LazyPredictor } from './local-loader.ts';
import { WidgetError, type ChorusScoreDetail, type Predictor, type WidgetScore } from './types.ts';
import { WidgetView } from './view.ts';

type TextField = HTMLTextAreaElement | HTMLInputElement;

/**
 * `<chorus-sentiment>`: scores a movie review live as it is typed, with the Chorus model.
 * Attributes (each also a property): `mode` ("api" | "local"), `server` (base URL of the Chorus server; default:
 * where widget.js came from), `for` (id of a textarea/input of the page to score instead of the widget's own),
 * `debounce` (ms), `label` (caption of the widget's own text area).
 * Fires `chorus-score` (bubbles, composed) with {label, score, modelVersion, text} for each new score.
 */
export class ChorusSentimentElement extends HTMLElement {
  /** Set by defineChorusSentiment: the server to use when the `server` attribute is absent. */
  static defaultServer = '';
  static observedAttributes = ['mode', 'server', 'for', 'debounce', 'label'];

  private readonly view: WidgetView;
  private readonly scorer: LiveScorer;
  private local: LazyPredictor | null = null;
  /** Where scoring happens, as shown next to the model version ("on this device", "by host"). */
  private where = '';
  private idleMessage = '';
  private detachTarget: (() => void) | null = null;
  private lastResult: ChorusScoreDetail | null = null;
  /** Not `isConnected`: while an element is upgraded, attributeChangedCallback runs for each attribute before connectedCallback. */
  private connected = false;

  constructor() {
    super();
    this.view = new WidgetView(this.attachShadow({ mode: 'open' }));
    this.scorer = new LiveScorer(notConfigured, parseDebounce(null).value, {
      onResult: (score, text) => this.showResult(score, text),
      onError: (error) => this.showError(error),
      onClear: () => this.showIdle(),
      onBusy: (busy) => this.view.setBusy(busy),
    });
    this.view.input.addEventListener('input', () => this.scorer.update(this.view.input.value));
    this.view.input.addEventListener('focus', () => this.warmUp());
  }

  connectedCallback(): void {
    this.connected = true;
    this.view.setCaption(this.getAttribute('label') ?? '');
    this.scorer.debounceMs = this.readDebounce();
    this.configure();
  }

  disconnectedCallback(): void {
    this.connected = false;
    this.detach();
  }

  attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
    if (previous === value || !this.connected) return;
    if (name === 'label') this.view.setCaption(value ?? '');
    else if (name === 'debounce') this.scorer.debounceMs = this.readDebounce();
    else this.configure();
  }

  get mode(): WidgetMode {
    return parseMode(this.getAttribute('mode')).value;
  }
  set mode(value: WidgetMode) {
    this.setAttribute('mode', value);
  }

  /** The server in use, as an absolute base URL; '' when the `server` attribute is invalid. */
  get server(): string {
    return this.resolveServer()?.href ?? '';
  }
  set server(value: string) {
    this.setAttribute('server', value);
  }

  get htmlFor(): string {
    return this.getAttribute('for') ?? '';
  }
  set htmlFor(value: string) {
    if (value) this.setAttribute('for', value);
    else this.removeAttribute('for');
  }
  /** Same as htmlFor, named like the attribute. */
  get for(): string {
    return this.htmlFor;
  }
  set for(value: string) {
    this.htmlFor = value;
  }

  get debounce(): number {
    return parseDebounce(this.getAttribute('debounce')).value;
  }
  set debounce(value: number) {
    this.setAttribute('debounce', String(value));
  }

  /** The latest score shown, or null. */
  get result(): ChorusScoreDetail | null {
    return this.lastResult;
  }

  /** Chooses the predictor from `mode` and `server`, attaches to the text source, and scores its text. */
  private configure(): void {
    const mode = parseMode(this.getAttribute('mode'));
    if (mode.problem) console.warn(`<chorus-sentiment>: ${mode.problem}`);
    const server = parseServer(this.getAttribute('server'), ChorusSentimentElement.defaultServer, document.baseURI);
    this.detach();
    this.local = null;
    if (!server.value) {
      // Nothing may be sent anywhere: drop any pending text, then say why.
      this.scorer.setPredictor(notConfigured);
      this.scorer.update('');
      this.view.clear(`Not scoring: ${server.problem}.`, 'error');
      return;
    }
    if (mode.value === 'local') {
      this.local = lazyLocalPredictor(server.value, () => this.view.clear('Downloading the model (once)…'));
      this.scorer.setPredictor(this.local.predict);
      this.where = 'scored on this device';
      this.idleMessage = 'Type to score: on this device, nothing you type is sent.';
    } else {
      this.scorer.setPredictor(apiPredictor(server.value));
      this.where = `scored by ${server.value.host}`;
      this.idleMessage = 'Type to score.';
    }
    this.attach();
  }

  private resolveServer(): URL | null {
    return parseServer(this.getAttribute('server'), ChorusSentimentElement.defaultServer, document.baseURI).value;
  }

  private readDebounce(): number {
    const debounce = parseDebounce(this.getAttribute('debounce'));
    if (debounce.problem) console.warn(`<chorus-sentiment>: ${debounce.problem}`);
    return debounce.value;
  }

  /**
   * Finds the text to score, the widget's own text area or the page's field named by `for`, and scores what it
   * holds. A missing field is looked up again once the page has loaded (it may come later in the HTML).
   */
  private attach(): void {
    const id = this.getAttribute('for');
    this.view.setAttached(Boolean(id));
    if (!id) {
      this.scorer.update(this.view.input.value, { immediate: true });
      return;
    }
    const root = this.getRootNode() as Document | ShadowRoot;
    const target = root.getElementById?.(id) ?? null;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) {
      this.listenTo(target);
      this.scorer.update(target.value, { immediate: true });
      return;
    }
    this.scorer.update('');
    if (document.readyState === 'loading') {
      const retry = () => this.isConnected && this.configure();
      document.addEventListener('DOMContentLoaded', retry, { once: true });
      this.detachTarget = () => document.removeEventListener('DOMContentLoaded', retry);
    } else {
      this.view.clear(`Not scoring: there is no text area or input with id "${id}".`, 'error');
    }
  }

  private listenTo(field: TextField): void {
    const onInput = () => this.scorer.update(field.value);
    const onFocus = () => this.warmUp();
    field.addEventListener('input', onInput);
    field.addEventListener('focus', onFocus);
    this.detachTarget = () => {
      field.removeEventListener('input', onInput);
      field.removeEventListener('focus', onFocus);
    };
  }

  private detach(): void {
    this.detachTarget?.();
    this.detachTarget = null;
  }

  /** Local mode: start the download when the person is about to type. Sends no text; failures show on typing. */
  private warmUp(): void {
    const local = this.local;
    if (!local || local.ready) return;
    local.warm().then(
      () => !this.lastResult && !this.scorer.busy && this.showIdle(),
      (error: unknown) => !this.scorer.busy && this.showError(error),
    );
  }

  private showResult(score: WidgetScore, text: string): void {
    this.lastResult = { label: score.label, score: score.score, modelVersion: score.modelVersion, text };
    this.view.showScore(score, this.where);
    this.dispatchEvent(new CustomEvent<ChorusScoreDetail>('chorus-score', { detail: { ...this.lastResult }, bubbles: true, composed: true }));
  }

  private showError(error: unknown): void {
    this.lastResult = null;
    const message = error instanceof WidgetError ? error.message : `Scoring failed: ${(error as Error)?.message ?? String(error)}.`;
    this.view.clear(`${message} Retrying when you type.`, 'error');
  }

  private showIdle(): void {
    this.lastResult = null;
    this.view.clear(this.idleMessage);
  }
}

/** Until connected (or while the `for` field is missing) there is nothing to score with. */
const notConfigured: Predictor = () => Promise.reject(new WidgetError('Not scoring yet.'));

declare global {
  interface HTMLElementTagNameMap {
    'chorus-sentiment': ChorusSentimentElement;
  }
  interface HTMLElementEventMap {
    'chorus-score': CustomEvent<ChorusScoreDetail>;
  }
}
