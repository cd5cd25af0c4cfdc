import { describe, expect, it } from 'vitest';
import { IMDB_SHA256, IMDB_URL } from './download.ts';
import { downloadSource } from './download-source.ts';
import { DataError } from './errors.ts';

describe('downloadSource', () => {
  it('is the official URL and published checksum unless the environment says otherwise', () => {
    expect(downloadSource({})).toEqual({ url: IMDB_URL, sha256: IMDB_SHA256 });
    expect(downloadSource({ CHORUS_DATA_URL: '', CHORUS_DATA_SHA256: '' })).toEqual({ url: IMDB_URL, sha256: IMDB_SHA256 });
  });

  it('keeps the published checksum for a mirror, and takes another only when it is given', () => {
    const mirror = 'http://mirror.test/aclImdb_v1.tar.gz';
    expect(downloadSource({ CHORUS_DATA_URL: mirror })).toEqual({ url: mirror, sha256: IMDB_SHA256 });
    expect(downloadSource({ CHORUS_DATA_URL: mirror, CHORUS_DATA_SHA256: 'AB'.repeat(32) })).toEqual({ url: mirror, sha256: 'ab'.repeat(32) });
  });

  it('names the variable that is wrong', () => {
    expect(() => downloadSource({ CHORUS_DATA_URL: 'ftp://x/y' })).toThrow(new DataError('$CHORUS_DATA_URL', 'must be an http(s) URL'));
    expect(() => downloadSource({ CHORUS_DATA_SHA256: 'abc' })).toThrow('$CHORUS_DATA_SHA256: must be 64 hex digits');
  });
});
