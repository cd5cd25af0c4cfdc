import { ChorusSentimentElement } from './chorus-sentiment.ts';

export const TAG_NAME = 'chorus-sentiment';

/**
 * Registers `<chorus-sentiment>` with `defaultServer` as the server for widgets without a `server` attribute.
 * Safe to call any number of times, e.g. when a page includes widget.js twice or from two hosts: the first
 * definition stays (custom elements cannot be redefined; trying would throw).
 */
export function defineChorusSentiment(defaultServer: string): CustomElementConstructor {
  const existing = customElements.get(TAG_NAME);
  if (existing) return existing;
  ChorusSentimentElement.defaultServer = defaultServer;
  customElements.define(TAG_NAME, ChorusSentimentElement);
  return ChorusSentimentElement;
}
