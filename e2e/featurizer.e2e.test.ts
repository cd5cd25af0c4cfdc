import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeaturizerSettingsInput } from '../shared/text/settings.ts';
import { chromiumAvailable, launchChromium, trackConsoleErrors } from './support/browser.ts';
import { featurizeForTest, murmur3ForTest } from './support/featurize-for-test.ts';
import { testPagesDist } from './support/paths.ts';
import { startStaticServer, type StaticServer } from './support/static-server.ts';
import { trickyTexts } from './support/tricky-texts.ts';

/**
 * A model trained in browsers is evaluated and served from Node: if one text got different feature ids or values
 * in the two, the model would silently see other inputs than it was trained on. So both must agree bit for bit.
 */
describe.skipIf(!chromiumAvailable())('featurizer: Node and headless Chromium agree', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let errors: () => string[];

  beforeAll(async () => {
    server = await startStaticServer(testPagesDist);
    browser = await launchChromium();
    page = await browser.newPage();
    errors = trackConsoleErrors(page);
    await page.goto(`${server.url}featurizer.html`);
    await page.waitForFunction(() => document.title === 'featurizer ready');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('receives the texts intact (else a match would prove nothing)', async () => {
    const echoed = await page.evaluate((texts) => texts.map((t) => Array.from(t, (c) => c.codePointAt(0))), trickyTexts);
    expect(echoed).toEqual(trickyTexts.map((t) => Array.from(t, (c) => c.codePointAt(0))));
  });

  it.each([0, 1, 42, 0xffffffff])('hashes every text to the same murmur3 value with seed %i', async (seed) => {
    const inBrowser = await page.evaluate(([texts, s]) => window.murmur3ForTest(texts, s), [trickyTexts, seed] as const);
    expect(inBrowser).toEqual(murmur3ForTest(trickyTexts, seed));
  });

  const settingsCases: [string, FeaturizerSettingsInput][] = [
    ['default settings (2^20 buckets, bigrams, sublinear tf, idf, l2)', {}],
    ['few buckets (many collisions), trigrams, another seed', { buckets: 256, ngramMax: 3, hashSeed: 123_456_789 }],
    ['raw counts (no tf scaling, idf or l2)', { buckets: 1 << 16, ngramMax: 1, sublinearTf: false, idf: false, l2: false }],
    ['l2 without idf', { buckets: 1 << 12, idf: false }],
  ];

  it.each(settingsCases)('gives identical ids and float32 values: %s', async (_, settingsInput) => {
    const inNode = featurizeForTest(trickyTexts, settingsInput);
    const inBrowser = await page.evaluate(([texts, s]) => window.featurizeForTest(texts, s), [trickyTexts, settingsInput] as const);
    expect(inBrowser).toHaveLength(trickyTexts.length);
    // One text at a time, so that a failure names the text.
    inNode.forEach((expected, i) => expect(inBrowser[i], `text #${i}: ${trickyTexts[i].slice(0, 60)}`).toEqual(expected));
    // toEqual compares numbers with Object.is: exact, -0 included. Values must also be exact float32 values.
    for (const doc of inBrowser) for (const v of doc.values) expect(Math.fround(v)).toBe(v);
  });

  it('produces non-trivial features, so the comparison above is not vacuous', () => {
    const docs = featurizeForTest(trickyTexts, {});
    expect(docs[0]).toEqual({ ids: [], values: [] }); // the empty review
    expect(docs[1]).toEqual({ ids: [], values: [] }); // whitespace only
    const long = docs[docs.length - 1];
    expect(long.ids.length).toBeGreaterThan(100);
    const norm = Math.hypot(...long.values);
    expect(norm).toBeCloseTo(1, 5);
    for (const doc of docs) for (let i = 1; i < doc.ids.length; i++) expect(doc.ids[i]).toBeGreaterThan(doc.ids[i - 1]);
  });

  it('logs no errors in the page', () => {
    expect(errors()).toEqual([]);
  });
});
