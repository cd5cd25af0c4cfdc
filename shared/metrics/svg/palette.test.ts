import { describe, expect, it } from 'vitest';
import { checkColor, OKABE_ITO, seriesStyle } from './palette.ts';

describe('seriesStyle', () => {
  it('walks the Okabe–Ito palette, then repeats it dashed', () => {
    expect(seriesStyle(0)).toEqual({ color: '#0072B2', dashed: false });
    expect(seriesStyle(7)).toEqual({ color: OKABE_ITO[7], dashed: false });
    expect(seriesStyle(8)).toEqual({ color: '#0072B2', dashed: true });
    expect(seriesStyle(16)).toEqual({ color: '#0072B2', dashed: false });
  });
});

describe('checkColor', () => {
  it('accepts hex, functional and named colours', () => {
    expect(checkColor('#abc', 'test')).toBe('#abc');
    expect(checkColor(' rgb(0, 114, 178) ', 'test')).toBe('rgb(0, 114, 178)');
    expect(checkColor('steelblue', 'test')).toBe('steelblue');
  });

  it('refuses anything that could escape the attribute or load a resource', () => {
    for (const bad of ['url(#x)', 'red" onload="x', '<b>', '', '#12']) {
      expect(() => checkColor(bad, 'where')).toThrow(/where: color must be a CSS colour/);
    }
  });
});
