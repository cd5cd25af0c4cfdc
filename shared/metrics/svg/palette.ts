/**
 * Series colours: the Okabe–Ito palette, distinguishable under the common colour-vision deficiencies and in
 * greyscale print. Yellow comes last because it is faint on white. After the eight colours the cycle repeats
 * with dashed lines, so the ninth series still differs from the first.
 */
export const OKABE_ITO = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
] as const;

/** The dash pattern used for dashed series and for the second pass through the palette. */
export const DASH_PATTERN = '6 4';

/** Colour and dashing of the i-th series when the caller did not choose. */
export function seriesStyle(index: number): { color: string; dashed: boolean } {
  return { color: OKABE_ITO[index % OKABE_ITO.length], dashed: Math.floor(index / OKABE_ITO.length) % 2 === 1 };
}

// Hex, rgb()/hsl() and named colours; anything else (quotes, angle brackets, url(...)) is refused so that a
// caller-supplied colour cannot break out of its attribute or pull in external resources.
const SAFE_COLOR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|rgba|hsl|hsla)\([0-9.,%\s]+\))$/;

/** Returns `color` when it is a plain CSS colour, else throws. */
export function checkColor(color: string, where: string): string {
  if (typeof color !== 'string' || !SAFE_COLOR.test(color.trim())) {
    throw new RangeError(`${where}: color must be a CSS colour such as "#0072B2" or "rgb(0,114,178)" (got ${JSON.stringify(color)})`);
  }
  return color.trim();
}
