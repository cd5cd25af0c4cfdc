import { describe, expect, it } from 'vitest';
import { escapeXml, estimateTextWidth, px, truncateToWidth } from './text.ts';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;');
  });

  it('drops control characters that XML 1.0 forbids but keeps tabs, newlines and non-ASCII', () => {
    expect(escapeXml('a\u0000b\u001Fc\td\ne α')).toBe('abc\td\ne α');
  });
});

describe('truncateToWidth', () => {
  it('keeps text that fits and ellipsizes text that does not', () => {
    const width = estimateTextWidth('abcdef', 10);
    expect(truncateToWidth('abcdef', 10, width)).toBe('abcdef');
    expect(truncateToWidth('abcdefghij', 10, width)).toBe('abcde…');
  });
});

describe('px', () => {
  it('rounds to two decimals without trailing zeros', () => {
    expect([px(1.23456), px(10), px(-0.004), px(2.5)]).toEqual(['1.23', '10', '0', '2.5']);
  });
});
