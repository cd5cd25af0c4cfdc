import { MAX_TEXT_CHARS, WidgetError, type Predictor } from './types.ts';

export interface LazyPredictor {
  predict: Predictor;
  /** Starts loading (e.g. when the text area gets focus), so the model is there by the first keystroke. */
  warm(): Promise<void>;
  /** Whether the model has loaded. */
  readonly ready: boolean;
}

/**
 * Local mode's predictor, loaded on first use. The dynamic import() is what keeps TensorFlow.js out of widget.js:
 * the bundler puts local-mode.ts and everything it imports in a separate chunk, fetched only here. A failed load is
 * forgotten, so the next use tries again.
 */
export function lazyLocalPredictor(server: URL, onLoading: () => void): LazyPredictor {
  let loading: Promise<Predictor> | undefined;
  let ready = false;
  const load = (): Promise<Predictor> => {
    if (!loading) {
      onLoading();
      loading = (async () => {
        let module: typeof import('./local-mode.ts');
        try {
          module = await import('./local-mode.ts');
        } catch {
          throw new WidgetError("Couldn't load local mode's code.");
        }
        try {
          const predictor = await module.loadLocalPredictor(server);
          ready = true;
          return predictor;
        } catch (error) {
          throw new WidgetError((error as Error).message);
        }
      })();
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };
  return {
    // Cut like the server does, so both modes score the same text.
    predict: async (text) => (await load())(text.slice(0, MAX_TEXT_CHARS)),
    warm: async () => void (await load()),
    get ready() {
      return ready;
    },
  };
}
