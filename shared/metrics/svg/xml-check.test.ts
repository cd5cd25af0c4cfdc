import { describe, expect, it } from 'vitest';
import { checkWellFormed, textContents } from './xml-check.ts';

// The checker guards every SVG test, so it needs to reject what it claims to reject.
describe('checkWellFormed', () => {
  it('counts elements of a well-formed tree', () => {
    const counts = checkWellFormed('<svg a="1"><g><path d="M0,0"/><text x="1">a &amp; b</text></g></svg>');
    expect(Object.fromEntries(counts)).toEqual({ svg: 1, g: 1, path: 1, text: 1 });
  });

  it('rejects crossed or unclosed tags, raw < or & and unquoted attributes', () => {
    expect(() => checkWellFormed('<svg><g></svg></g>')).toThrow(/closes <g>/);
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow(/closes <g>/);
    expect(() => checkWellFormed('<svg><g>')).toThrow(/unclosed/);
    expect(() => checkWellFormed('<svg><text>a < b</text></svg>')).toThrow(/malformed tag/);
    expect(() => checkWellFormed('<svg><text>a & b</text></svg>')).toThrow(/bad character data/);
    expect(() => checkWellFormed('<svg a=1></svg>')).toThrow(/malformed tag/);
    expect(() => checkWellFormed('<svg a="x"y"></svg>')).toThrow(/malformed tag/);
    expect(() => checkWellFormed('<svg></svg><svg></svg>')).toThrow(/after the root/);
  });

  it('decodes text contents', () => {
    expect(textContents('<svg><text x="1"><title>t</title>a &lt;b&gt; &amp; &quot;c&quot;</text></svg>')).toEqual(['a <b> & "c"']);
  });
});
