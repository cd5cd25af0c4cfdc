/**
 * Text helpers for SVG built as strings. There is no DOM to measure text with (this runs in Node and in
 * workers), so widths are estimated from an average glyph width; layouts leave slack for that.
 */

// Characters XML 1.0 forbids outright (most C0 controls): one of these would make the whole SVG unparseable.
const FORBIDDEN_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for use in XML content and in double- or single-quoted attributes; drops characters XML forbids. */
export function escapeXml(text: string): string {
  return String(text)
    .replace(FORBIDDEN_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Average advance of a sans-serif glyph as a fraction of the font size (digits and lowercase ~0.55, capitals wider). */
const AVERAGE_GLYPH_WIDTH = 0.56;

/** Estimated rendered width in pixels of `text` at `fontSize`. Deliberately errs on the wide side. */
export function estimateTextWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * AVERAGE_GLYPH_WIDTH;
}

/** Shortens `text` with a trailing ellipsis so its estimated width fits `maxWidth`. */
export function truncateToWidth(text: string, fontSize: number, maxWidth: number): string {
  const chars = Array.from(text);
  const maxChars = Math.max(1, Math.floor(maxWidth / (fontSize * AVERAGE_GLYPH_WIDTH)));
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** A coordinate with at most two decimals: enough for sub-pixel accuracy, short enough for 1000-point paths. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
