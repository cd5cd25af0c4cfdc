import { DASH_PATTERN } from './palette.ts';
import { escapeXml, estimateTextWidth, px, truncateToWidth } from './text.ts';

/** One legend row: a short line in the series' style, then its label. */
export interface LegendEntry {
  label: string;
  color: string;
  dashed: boolean;
  /** Draw a dot on the swatch, matching a series drawn with point markers. */
  marker: boolean;
}

const FONT_SIZE = 12;
const ROW_HEIGHT = 18;
const SWATCH_WIDTH = 24;
const SWATCH_GAP = 6;
const BOX_PADDING = 8;

export interface LegendLayout {
  width: number;
  height: number;
}

/** The size the legend will take, including its padding; labels wider than `maxLabelWidth` get an ellipsis. */
export function measureLegend(entries: LegendEntry[], maxLabelWidth: number): LegendLayout {
  const widest = Math.max(0, ...entries.map((e) => Math.min(maxLabelWidth, estimateTextWidth(e.label, FONT_SIZE))));
  return {
    width: 2 * BOX_PADDING + SWATCH_WIDTH + SWATCH_GAP + widest,
    height: 2 * BOX_PADDING + entries.length * ROW_HEIGHT - (ROW_HEIGHT - FONT_SIZE),
  };
}

/**
 * The legend with its top-left corner at (x, y). A boxed legend sits over the plot, so it gets a translucent
 * white background that keeps gridlines and curves from running through the labels.
 */
export function legendSvg(entries: LegendEntry[], x: number, y: number, maxLabelWidth: number, boxed: boolean): string {
  const { width, height } = measureLegend(entries, maxLabelWidth);
  const parts: string[] = [`<g class="legend" font-size="${FONT_SIZE}" fill="#222222">`];
  if (boxed) {
    parts.push(
      `<rect x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" rx="3" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`,
    );
  }
  entries.forEach((entry, row) => {
    const centerY = y + BOX_PADDING + FONT_SIZE / 2 + row * ROW_HEIGHT;
    const left = x + BOX_PADDING;
    const color = escapeXml(entry.color);
    const dash = entry.dashed ? ` stroke-dasharray="${DASH_PATTERN}"` : '';
    parts.push(
      `<line x1="${px(left)}" y1="${px(centerY)}" x2="${px(left + SWATCH_WIDTH)}" y2="${px(centerY)}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    if (entry.marker) {
      parts.push(`<circle cx="${px(left + SWATCH_WIDTH / 2)}" cy="${px(centerY)}" r="3" fill="${color}"/>`);
    }
    const shown = truncateToWidth(entry.label, FONT_SIZE, maxLabelWidth);
    // A hover title keeps the full name available when the label had to be shortened.
    const fullName = shown === entry.label ? '' : `<title>${escapeXml(entry.label)}</title>`;
    // Baseline about 0.35 em below the centre line: vertically centred without dominant-baseline,
    // which several SVG renderers (librsvg, older Inkscape) ignore.
    parts.push(
      `<text x="${px(left + SWATCH_WIDTH + SWATCH_GAP)}" y="${px(centerY + FONT_SIZE * 0.35)}">${fullName}${escapeXml(shown)}</text>`,
    );
  });
  parts.push('</g>');
  return parts.join('');
}
