import { widgetStyles } from './styles.ts';
import type { WidgetScore } from './types.ts';

/**
 * The widget's shadow DOM. Built from a fixed template; everything that varies (labels, server messages) goes in
 * through textContent, never as HTML, so nothing a server or page sends can inject markup.
 */
const template = `<div class="box" part="container">
<label part="caption" for="input"></label>
<textarea part="input" id="input" spellcheck="true" placeholder="Type a movie review…"></textarea>
<div class="result" part="result" aria-live="polite" aria-atomic="true">
<div class="row"><span class="label" part="label"></span><span class="score" part="score"></span></div>
<div class="bar" part="bar" role="meter" aria-label="Positive sentiment" aria-valuemin="0" aria-valuemax="100"><div class="fill" part="bar-fill"></div></div>
<div class="row small"><span class="status" part="status"></span><span class="version" part="version"></span></div>
</div>
</div>`;

export type StatusKind = 'info' | 'error';

let sharedSheet: CSSStyleSheet | undefined;

/**
 * A constructed stylesheet, shared by every widget on the page: unlike a <style> element it is not subject to the
 * embedding page's Content-Security-Policy `style-src`, so the widget keeps its look on strict sites too.
 */
function applyStyles(root: ShadowRoot): void {
  try {
    sharedSheet ??= new CSSStyleSheet();
    if (sharedSheet.cssRules.length === 0) sharedSheet.replaceSync(widgetStyles);
    root.adoptedStyleSheets = [sharedSheet];
  } catch {
    // Browsers without constructable stylesheets (before 2023): a <style> element does the same.
    const style = document.createElement('style');
    style.textContent = widgetStyles;
    root.prepend(style);
  }
}

export class WidgetView {
  readonly input: HTMLTextAreaElement;
  private readonly box: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly result: HTMLElement;
  private readonly label: HTMLElement;
  private readonly score: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly status: HTMLElement;
  private readonly version: HTMLElement;

  constructor(root: ShadowRoot) {
    root.innerHTML = template;
    applyStyles(root);
    const $ = <T extends HTMLElement>(selector: string) => root.querySelector(selector) as T;
    this.box = $('.box');
    this.caption = $('label');
    this.input = $('textarea');
    this.result = $('.result');
    this.label = $('.label');
    this.score = $('.score');
    this.bar = $('.bar');
    this.fill = $('.fill');
    this.status = $('.status');
    this.version = $('.version');
    this.setCaption('');
    this.clear('');
  }

  setCaption(text: string): void {
    this.caption.textContent = text || 'Review text';
  }

  /** Hides the widget's own text area when it scores an input of the page instead. */
  setAttached(attached: boolean): void {
    this.box.toggleAttribute('data-attached', attached);
  }

  showScore(score: WidgetScore, where: string): void {
    const percent = Math.round(score.score * 100);
    this.setLabel(score.label, score.label);
    this.score.textContent = `${percent}% positive`;
    this.setBar(percent, `${percent}% positive`, score.label);
    this.setStatus('', 'info');
    this.version.textContent = `model v${score.modelVersion} · ${where}`;
  }

  /** No score to show: `message` says why (nothing typed yet, loading, an error). */
  clear(message: string, kind: StatusKind = 'info'): void {
    this.setLabel('', null);
    this.score.textContent = '';
    this.setBar(0, 'no score', null);
    this.setStatus(message, kind);
    this.version.textContent = '';
  }

  setBusy(busy: boolean): void {
    this.result.toggleAttribute('data-busy', busy);
  }

  private setLabel(text: string, label: string | null): void {
    this.label.textContent = text;
    if (label) this.label.dataset.label = label;
    else delete this.label.dataset.label;
  }

  private setBar(percent: number, text: string, label: string | null): void {
    this.bar.setAttribute('aria-valuenow', String(percent));
    this.bar.setAttribute('aria-valuetext', text);
    this.fill.style.width = `${percent}%`;
    if (label) this.fill.dataset.label = label;
    else delete this.fill.dataset.label;
  }

  private setStatus(message: string, kind: StatusKind): void {
    this.status.textContent = message;
    this.status.dataset.kind = kind;
  }
}
