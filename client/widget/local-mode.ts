/**
 * Local mode, loaded with a dynamic import() only when a widget asks for it: TensorFlow.js and the model code
 * stay out of widget.js. Scores on this device with the same featurizer and `Scorer` as the server; the text is
 * never sent anywhere (the only requests are for the model's version and its files).
 * It imports nothing at run time from widget.js's modules: anything shared would be split into a third chunk that
 * widget.js then has to fetch too. So errors are plain Errors (local-loader.ts makes WidgetErrors of them).
 */
import '@tensorflow/tfjs-backend-cpu';
import { activateBackend } from '../../shared/model/backend.ts';
import { Scorer } from '../../shared/model/scorer.ts';
import { openBrowserFileCache } from './file-cache.ts';
import { loadModelBundle, NoModelYetError } from './local-model.ts';
import type { Predictor } from './types.ts';

/**
 * One model per server for the whole page, however many widgets use it. The `cpu` backend: scoring one review is
 * a gather of its few hundred features, which plain JavaScript does in well under a millisecond, and unlike wasm
 * it needs no binaries fetched from the Chorus server (which would need CORS on yet more files).
 */
const scorers = new Map<string, Promise<Scorer>>();
let backend: Promise<void> | undefined;

function scorerFor(server: URL): Promise<Scorer> {
  let scorer = scorers.get(server.href);
  if (!scorer) {
    scorer = (async () => {
      backend ??= activateBackend('cpu');
      await backend;
      const cache = await openBrowserFileCache();
      return new Scorer(await loadModelBundle(server, { fetch: (...args) => fetch(...args), cache }));
    })();
    // A failed load is forgotten, so that the next keystroke tries again.
    scorer.catch(() => scorers.delete(server.href));
    scorers.set(server.href, scorer);
  }
  return scorer;
}

/** Resolves once the model is ready, so the widget can say "downloading" until then. */
export async function loadLocalPredictor(server: URL): Promise<Predictor> {
  let scorer: Scorer;
  try {
    scorer = await scorerFor(server);
  } catch (error) {
    if (error instanceof NoModelYetError) throw new Error(error.message);
    const why = error instanceof TypeError ? `can't reach ${server.host}` : (error as Error).message;
    throw new Error(`Couldn't load the model (${why}).`);
  }
  return async (text) => {
    const [prediction] = await scorer.score([text]);
    return { label: prediction.label, score: prediction.score, modelVersion: scorer.modelVersion };
  };
}
