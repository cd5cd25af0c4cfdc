import { describe, expect, it } from 'vitest';
import type { BackendName } from '../../shared/model/backend.ts';
import { backendOverride, chooseBackend, describeBackend, type BackendEnvironment } from './backend-choice.ts';

/** A scripted environment: which backends start, how fast each trains, what the adapter request gives. */
function environment(options: {
  hasWebGpu?: boolean;
  adapter?: { fallback: boolean; description: string } | null | Error;
  stepMs?: Partial<Record<BackendName, number>>;
  broken?: BackendName[];
}): BackendEnvironment & { activated: BackendName[] } {
  const broken = new Set(options.broken ?? []);
  const activated: BackendName[] = [];
  const start = (name: BackendName) => {
    if (broken.has(name)) throw new Error(`tfjs backend '${name}' is not available here (the backend failed to initialise); active backend is 'cpu'`);
    activated.push(name);
  };
  return {
    activated,
    hasWebGpu: options.hasWebGpu ?? true,
    requestAdapter: async () => {
      if (options.adapter instanceof Error) throw options.adapter;
      return options.adapter === undefined ? { fallback: false, description: 'test gpu' } : options.adapter;
    },
    timeStep: async (name) => {
      start(name);
      return options.stepMs?.[name] ?? 10;
    },
    activate: async (name) => start(name),
  };
}

describe('chooseBackend', () => {
  it('falls back to wasm when there is no adapter, and says so in the words the page shows', async () => {
    const env = environment({ adapter: null });
    const choice = await chooseBackend(env);
    expect(describeBackend(choice)).toBe('wasm — WebGPU unavailable: navigator.gpu.requestAdapter() returned null');
    expect(env.activated).toEqual(['wasm']);
  });

  it('says when navigator.gpu is missing altogether, or requestAdapter throws', async () => {
    expect((await chooseBackend(environment({ hasWebGpu: false }))).reason).toBe('WebGPU unavailable: navigator.gpu is missing (this browser has no WebGPU, or it is turned off)');
    expect((await chooseBackend(environment({ adapter: new Error('GPU process crashed') }))).reason).toBe(
      'WebGPU unavailable: navigator.gpu.requestAdapter() failed: GPU process crashed',
    );
  });

  it('picks WebGPU only when its timed step beats WASM, and leaves the winner active', async () => {
    const fast = environment({ stepMs: { webgpu: 2, wasm: 40 } });
    expect(await chooseBackend(fast)).toEqual({ name: 'webgpu', reason: 'WebGPU faster: WebGPU 2.0 ms vs WASM 40.0 ms per training step' });
    expect(fast.activated.at(-1)).toBe('webgpu');
    const slow = environment({ adapter: { fallback: true, description: 'swiftshader' }, stepMs: { webgpu: 620, wasm: 7.1 } });
    expect(await chooseBackend(slow)).toEqual({ name: 'wasm', reason: 'WebGPU slower than WASM here: WebGPU 620 ms vs WASM 7.1 ms per training step (software adapter)' });
    expect(slow.activated.at(-1)).toBe('wasm');
  });

  it('skips a WebGPU backend that fails to start, and falls to CPU when WASM fails too', async () => {
    const choice = await chooseBackend(environment({ broken: ['webgpu', 'wasm'] }));
    expect(choice.name).toBe('cpu');
    expect(choice.reason).toBe(
      "WebGPU failed: tfjs backend 'webgpu' is not available here (the backend failed to initialise); active backend is 'cpu'; " +
        "WASM failed: tfjs backend 'wasm' is not available here (the backend failed to initialise); active backend is 'cpu'",
    );
  });

  it('honours an override that works, and falls back with the reason when it does not', async () => {
    expect(await chooseBackend(environment({}), 'webgl')).toEqual({ name: 'webgl', reason: 'requested with ?backend=webgl' });
    const failed = await chooseBackend(environment({ adapter: null, broken: ['webgpu'] }), 'webgpu');
    expect(failed.name).toBe('wasm');
    expect(failed.reason).toMatch(/^\?backend=webgpu failed \(tfjs backend 'webgpu' is not available here .+\); WebGPU unavailable: navigator\.gpu\.requestAdapter\(\) returned null$/);
  });

  it('never picks WebGL by itself, even when it would be fastest', async () => {
    const env = environment({ adapter: null, stepMs: { webgl: 0.1, wasm: 50 } });
    expect((await chooseBackend(env)).name).toBe('wasm');
    expect(env.activated).not.toContain('webgl');
  });

  it('throws, listing every failure, when no backend starts', async () => {
    await expect(chooseBackend(environment({ hasWebGpu: false, broken: ['wasm', 'cpu'] }))).rejects.toThrow(/^no TensorFlow\.js backend works here: WebGPU unavailable: .+; WASM failed: .+; CPU failed: .+$/);
  });
});

describe('backendOverride', () => {
  it('reads ?backend= and ignores unknown names, saying so', () => {
    expect(backendOverride('')).toEqual({ backend: null, problem: null });
    expect(backendOverride('?backend=webgpu&x=1')).toEqual({ backend: 'webgpu', problem: null });
    expect(backendOverride('?backend=')).toEqual({ backend: null, problem: null });
    expect(backendOverride('?backend=cuda')).toEqual({ backend: null, problem: '?backend=cuda is not one of webgpu, wasm, cpu, webgl; ignored' });
  });
});
