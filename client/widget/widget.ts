/**
 * widget.js, the embeddable bundle:
 *   <script type="module" src="https://chorus.example/widget.js"></script>
 *   <chorus-sentiment></chorus-sentiment>
 * The widget talks to the server it was loaded from (`https://chorus.example/`), unless given `server="..."`.
 */
import { defineChorusSentiment } from './define.ts';

// Via a variable: Vite would otherwise try to resolve `new URL('.', import.meta.url)` as an asset at build time.
const scriptUrl = new URL(import.meta.url);
defineChorusSentiment(new URL('.', scriptUrl).href);

export { ChorusSentimentElement } from './chorus-sentiment.ts';
export type { ChorusScoreDetail } from './types.ts';
