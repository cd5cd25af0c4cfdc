import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer, type StartServerOptions } from '../../server/serve/start-server.ts';
import { startEdgeProcess, type EdgeProcess } from '../../server/serve/testing/edge-process.ts';
import { joinContributor, launchChromium } from './browser.ts';
import { federationData } from './federation-data.ts';
import { webDist } from './paths.ts';

/** A contributor page in its own browser profile, and the errors it has logged so far. */
export interface Contributor {
  context: BrowserContext;
  page: Page;
  errors: () => string[];
}

/**
 * A real server with the built pages, and the clients a federation e2e test adds to it: contributor pages in one
 * headless Chromium (launched on the first page, so edge processes started before it overlap its launch) and
 * `chorus client` processes, each with a cache of its own. `close()` takes everything down.
 */
export interface TestFederation {
  server: RunningServer;
  contributors: Contributor[];
  edges: EdgeProcess[];
  browser(): Promise<Browser>;
  openContributor(): Promise<Contributor>;
  /** A `chorus client --server <url> --cache <own dir>` process, with `args` after. */
  startEdge(args?: string[]): EdgeProcess;
  close(): Promise<void>;
}

/** The federation e2e tests' common server settings: sized for two cores, with room for a slow round. */
const E2E_DEFAULTS = {
  port: 0,
  db: ':memory:',
  local: { epochs: 1, batchSize: 64, learningRate: 0.01 },
  roundTimeoutSeconds: 240,
  logger: 'warn',
} satisfies Partial<StartServerOptions>;

/**
 * Starts a federation for an e2e test on `federationData()` (the real IMDB archive when the machine has it). `name`
 * labels the console line saying which data; `options` add to or override the defaults above; `listen` is called
 * with the server before any client can join, so the test's event handlers see everything.
 */
export async function startTestFederation(name: string, options: Omit<StartServerOptions, 'data'>, listen?: (server: RunningServer) => void): Promise<TestFederation> {
  const { data, description } = await federationData();
  console.log(`${name} on ${description}`);
  const server = await startServer({ ...E2E_DEFAULTS, webRoot: webDist, ...options, data });
  listen?.(server);
  const cache = mkdtempSync(join(tmpdir(), 'chorus-e2e-'));
  const contributors: Contributor[] = [];
  const edges: EdgeProcess[] = [];
  let launched: Promise<Browser> | null = null;
  const browser = () => (launched ??= launchChromium());
  return {
    server,
    contributors,
    edges,
    browser,
    async openContributor() {
      const contributor = await joinContributor(await browser(), server.url);
      contributors.push(contributor);
      return contributor;
    },
    startEdge(args = []) {
      const edge = startEdgeProcess(['--server', server.url, '--cache', join(cache, `edge-${edges.length}`), ...args]);
      edges.push(edge);
      return edge;
    },
    async close() {
      for (const edge of edges) edge.kill();
      await (await launched)?.close();
      await server.close();
      rmSync(cache, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 250 ms; past `timeoutMs` it throws, naming what it waited for and where things stood. */
export async function waitFor(check: () => boolean, what: string, timeoutMs: number, progress: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${progress()})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
