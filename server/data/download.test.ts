import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadImdb } from './download.ts';
import { expectDataError, makeTempDir, removeTempDir } from './test-fixtures.ts';

// A stand-in archive served from 127.0.0.1: tests never touch the internet.
const payload = randomBytes(200_000);
const payloadSha256 = createHash('sha256').update(payload).digest('hex');

interface ServerBehaviour {
  ignoreRange?: boolean;
  status?: number;
  /** Serve this instead of the payload (e.g. to provoke a checksum mismatch). */
  body?: Buffer;
  /** Drop the connection after sending this many body bytes of a full response. */
  dropAfter?: number;
}

let dir: string;
let server: Server;
let url: string;
let behaviour: ServerBehaviour;
let requests: { range: string | undefined }[];

function handle(req: IncomingMessage, res: ServerResponse): void {
  requests.push({ range: req.headers.range });
  if (behaviour.status) {
    res.writeHead(behaviour.status, { 'Content-Type': 'text/plain' }).end('nope');
    return;
  }
  const body = behaviour.body ?? payload;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range && !behaviour.ignoreRange) {
    const start = Number(range[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(206, {
      'Content-Length': body.length - start,
      'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
    });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { 'Content-Length': body.length });
  if (behaviour.dropAfter !== undefined) {
    res.write(body.subarray(0, behaviour.dropAfter), () => res.destroy());
    return;
  }
  res.end(body);
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

beforeEach(async () => {
  dir = await makeTempDir();
  behaviour = {};
  requests = [];
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aclImdb_v1.tar.gz`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await removeTempDir(dir);
});

describe('downloadImdb', () => {
  it('downloads into the cache, verifies the checksum and reports progress', async () => {
    const progress: [number, number | null][] = [];
    const path = await downloadImdb({ cacheDir: join(dir, 'cache'), url, sha256: payloadSha256, onProgress: (r, t) => progress.push([r, t]) });
    expect(path).toBe(join(dir, 'cache', 'aclImdb_v1.tar.gz'));
    expect(await sha256Of(path)).toBe(payloadSha256);
    expect(await readdir(join(dir, 'cache'))).toEqual(['aclImdb_v1.tar.gz']);
    expect(requests).toEqual([{ range: undefined }]);
    expect(progress[0]).toEqual([0, payload.length]);
    expect(progress.at(-1)).toEqual([payload.length, payload.length]);
  });

  it('returns at once when the file is already there with the right checksum', async () => {
    await writeFile(join(dir, 'aclImdb_v1.tar.gz'), payload);
    const path = await downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 });
    expect(path).toBe(join(dir, 'aclImdb_v1.tar.gz'));
    expect(requests).toEqual([]);
  });

  it('resumes a partial .part file with a Range request', async () => {
    await writeFile(join(dir, 'aclImdb_v1.tar.gz.part'), payload.subarray(0, 70_000));
    const progress: number[] = [];
    const path = await downloadImdb({ cacheDir: dir, url, sha256: payloadSha256, onProgress: (r) => progress.push(r) });
    expect(requests).toEqual([{ range: 'bytes=70000-' }]);
    expect(progress[0]).toBe(70_000);
    expect(await sha256Of(path)).toBe(payloadSha256);
    expect(await readdir(dir)).toEqual(['aclImdb_v1.tar.gz']);
  });

  it('starts over when the server ignores Range and sends the whole file', async () => {
    behaviour.ignoreRange = true;
    // A stale prefix that must not end up in the result.
    await writeFile(join(dir, 'aclImdb_v1.tar.gz.part'), Buffer.alloc(50_000, 7));
    const path = await downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 });
    expect(requests).toEqual([{ range: 'bytes=50000-' }]);
    expect(await sha256Of(path)).toBe(payloadSha256);
  });

  it('finishes a .part that is already complete (the server answers 416)', async () => {
    await writeFile(join(dir, 'aclImdb_v1.tar.gz.part'), payload);
    const path = await downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 });
    expect(requests).toEqual([{ range: `bytes=${payload.length}-` }]);
    expect(await sha256Of(path)).toBe(payloadSha256);
  });

  it('keeps what arrived when the connection drops, and resumes from there next time', async () => {
    behaviour.dropAfter = 80_000;
    await expectDataError(downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 }), url, /download interrupted .*run the command again to resume/);
    const part = await readFile(join(dir, 'aclImdb_v1.tar.gz.part'));
    expect(part.length).toBeGreaterThan(0);
    expect(part.equals(payload.subarray(0, part.length))).toBe(true);

    behaviour.dropAfter = undefined;
    const path = await downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 });
    expect(requests.at(-1)).toEqual({ range: `bytes=${part.length}-` });
    expect(await sha256Of(path)).toBe(payloadSha256);
  });

  it('deletes the download and names the file on a checksum mismatch', async () => {
    behaviour.body = Buffer.from('this is not the archive you are looking for');
    const final = join(dir, 'aclImdb_v1.tar.gz');
    await expectDataError(downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 }), final, new RegExp(`checksum mismatch: expected sha256 ${payloadSha256}`));
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a server error with its status and keeps the partial file for later', async () => {
    behaviour.status = 503;
    await writeFile(join(dir, 'aclImdb_v1.tar.gz.part'), payload.subarray(0, 1000));
    await expectDataError(downloadImdb({ cacheDir: dir, url, sha256: payloadSha256 }), url, /download failed: HTTP 503 Service Unavailable/);
    expect(await readdir(dir)).toEqual(['aclImdb_v1.tar.gz.part']);
  });

  it('reports a refused connection', async () => {
    const closedUrl = url;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    server = createServer(handle); // afterEach closes this idle one
    await expectDataError(downloadImdb({ cacheDir: dir, url: closedUrl, sha256: payloadSha256 }), closedUrl, /could not connect \(fetch failed: .*ECONNREFUSED/);
  });
});
