import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '../../shared/model/tfjs.ts';

export interface Environment {
  chorus: string;
  node: string;
  tfjs: string;
  backend: string;
  platform: string;
  arch: string;
  cpus: number;
}

/** What a rerun must match to reproduce a run bit for bit: versions, backend, machine. */
export function describeEnvironment(): Environment {
  return {
    chorus: chorusVersion(),
    node: process.version,
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    platform: os.platform(),
    arch: os.arch(),
    cpus: os.cpus().length,
  };
}

let cached: string | undefined;

function chorusVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
