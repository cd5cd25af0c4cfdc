/**
 * Text normalisation and tokenisation shared by every featurizer caller.
 * Reviews carry HTML line breaks (`<br />`) and entities; `!` and `?` are kept as tokens because they carry sentiment.
 */
const TAG = /<[^>]{0,200}>/g;
const ENTITY = /&(amp|lt|gt|quot|apos|#39|nbsp);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' };
/** A word is letters/digits, optionally joined by apostrophes (don't, it's); `!` and `?` are tokens of their own. */
const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[!?]/gu;

export function normalize(text: string): string {
  // NFC first, so an accent typed as a combining mark gives the same token as the precomposed letter.
  return text
    .normalize('NFC')
    .replace(TAG, ' ')
    .replace(ENTITY, (_, name: string) => ENTITIES[name])
    .toLowerCase()
    .replace(/’/g, "'");
}

export function tokenize(text: string): string[] {
  return normalize(text).match(TOKEN) ?? [];
}
