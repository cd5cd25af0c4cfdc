/**
 * A strict little well-formedness checker for the SVG this module emits, used by its tests (there is no DOM
 * parser in Node). It accepts only what the chart code generates: elements with double-quoted attributes,
 * escaped text, no comments, CDATA or processing instructions.
 */

const TAG = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|#39);[^"<&]*)*")*)\s*(\/?)>/;
const TEXT_ENTITY_OK = /^(?:[^&<]|&(?:amp|lt|gt|quot|#39);)*$/;

/** Throws unless `xml` is one well-formed element tree; returns how many elements of each name it holds. */
export function checkWellFormed(xml: string): Map<string, number> {
  const counts = new Map<string, number>();
  const open: string[] = [];
  let rootClosed = false;
  let position = 0;
  while (position < xml.length) {
    const next = xml.indexOf('<', position);
    const text = xml.slice(position, next === -1 ? xml.length : next);
    if (!TEXT_ENTITY_OK.test(text)) throw new Error(`bad character data at ${position}: ${JSON.stringify(text.slice(0, 40))}`);
    if (text.trim() !== '' && open.length === 0) throw new Error(`text outside the root element at ${position}`);
    if (next === -1) break;
    const match = TAG.exec(xml.slice(next));
    if (!match) throw new Error(`malformed tag at ${next}: ${JSON.stringify(xml.slice(next, next + 60))}`);
    const [whole, closing, name, , selfClosing] = match;
    if (rootClosed) throw new Error(`content after the root element at ${next}`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> at ${next} closes <${expected ?? 'nothing'}>`);
      if (open.length === 0) rootClosed = true;
    } else {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (selfClosing) {
        if (open.length === 0) rootClosed = true;
      } else open.push(name);
    }
    position = next + whole.length;
  }
  if (open.length > 0) throw new Error(`unclosed elements: ${open.join(' > ')}`);
  if (!rootClosed) throw new Error('no root element');
  return counts;
}

/** Decoded contents of every `<text>` element (the part after any nested `<title>`). */
export function textContents(xml: string): string[] {
  return [...xml.matchAll(/<text[^>]*>(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]));
}

export function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
