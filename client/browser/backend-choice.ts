import type { BackendName } from '../../shared/model/backend.ts';
import type { BackendInfo } from '../core/client-state.ts';

export const backendNames: readonly BackendName[] = ['webgpu', 'wasm', 'cpu', 'webgl'];

/** What choosing needs from the environment; injected so the decision is testable without a browser. */
export interface BackendEnvironment {
  /** Whether `navigator.gpu` exists. */
  hasWebGpu: boolean;
  /** `navigator.gpu.requestAdapter()`, summarised: null when it returned null; `fallback` for a software adapter. */
  requestAdapter(): Promise<{ fallback: boolean; description: string } | null>;
  /** Switches to the backend and times a small training step on it (ms, after warm-up); throws when it cannot. */
  timeStep(backend: BackendName): Promise<number>;
  /** Switches to the backend (checked); throws when it cannot. */
  activate(backend: BackendName): Promise<void>;
}

/** Reads `?backend=` from a page URL; anything else than a known backend is ignored (and said so). */
export function backendOverride(search: string): { backend: BackendName | null; problem: string | null } {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '') return { backend: null, problem: null };
  if ((backendNames as readonly string[]).includes(value)) return { backend: value as BackendName, problem: null };
  return { backend: null, problem: `?backend=${value} is not one of ${backendNames.join(', ')}; ignored` };
}

/**
 * Picks the tfjs backend to train on, and says why:
 *  - `override` (from `?backend=`) when it works;
 *  - else WebGPU when there is an adapter and a timed training step is faster on it than on WASM;
 *  - else WASM; else CPU. WebGL is never picked automatically: its embedding gradient costs O(rows × tokens).
 * A backend that fails to start is skipped with its error in the reason; the chosen one is left active.
 */
export async function chooseBackend(env: BackendEnvironment, override: BackendName | null = null): Promise<BackendInfo> {
  const notes: string[] = [];
  if (override) {
    try {
      await env.activate(override);
      return { name: override, reason: `requested with ?backend=${override}` };
    } catch (error) {
      notes.push(`?backend=${override} failed (${messageOf(error)})`);
    }
  }
  const webgpu = await webGpuCandidate(env);
  if (webgpu.available) {
    try {
      const gpuMs = await env.timeStep('webgpu');
      const wasmMs = await env.timeStep('wasm').catch(() => Infinity);
      const timing = `WebGPU ${formatMs(gpuMs)} vs WASM ${formatMs(wasmMs)} per training step${webgpu.fallback ? ' (software adapter)' : ''}`;
      if (gpuMs < wasmMs) {
        await env.activate('webgpu');
        return { name: 'webgpu', reason: joinNotes(notes, `WebGPU faster: ${timing}`) };
      }
      notes.push(`WebGPU slower than WASM here: ${timing}`);
    } catch (error) {
      notes.push(`WebGPU failed: ${messageOf(error)}`);
    }
  } else notes.push(`WebGPU unavailable: ${webgpu.why}`);
  for (const name of ['wasm', 'cpu'] as const) {
    try {
      await env.activate(name);
      return { name, reason: joinNotes(notes, '') };
    } catch (error) {
      notes.push(`${name === 'wasm' ? 'WASM' : 'CPU'} failed: ${messageOf(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend works here: ${notes.join('; ')}`);
}

async function webGpuCandidate(env: BackendEnvironment): Promise<{ available: true; fallback: boolean } | { available: false; why: string }> {
  if (!env.hasWebGpu) return { available: false, why: 'navigator.gpu is missing (this browser has no WebGPU, or it is turned off)' };
  try {
    const adapter = await env.requestAdapter();
    if (!adapter) return { available: false, why: 'navigator.gpu.requestAdapter() returned null' };
    return { available: true, fallback: adapter.fallback };
  } catch (error) {
    return { available: false, why: `navigator.gpu.requestAdapter() failed: ${messageOf(error)}` };
  }
}

function joinNotes(notes: string[], last: string): string {
  return [...notes, last].filter(Boolean).join('; ');
}

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'unavailable';
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How the page shows the choice: "wasm — WebGPU unavailable: navigator.gpu.requestAdapter() returned null". */
export function describeBackend(info: BackendInfo): string {
  return info.reason ? `${info.name} — ${info.reason}` : info.name;
}
