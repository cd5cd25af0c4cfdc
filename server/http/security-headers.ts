import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's defaults, plus what the pages need: tfjs compiles WebAssembly ('wasm-unsafe-eval') and trains in a
 * module worker. The widget page may be framed by any site (that is what it is for); every other page only by
 * this origin.
 */
function headers(frameAnywhere: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        frameAncestors: frameAnywhere ? ['*'] : ["'self'"],
        // Chorus is usually served over plain HTTP (a laptop, a LAN demo): upgrading every request to https would
        // break every page there.
        upgradeInsecureRequests: null,
      },
    },
    frameguard: frameAnywhere ? false : { action: 'sameorigin' },
  });
}

const framable = headers(true);
const standard = headers(false);

export const securityHeaders: RequestHandler = (req, res, next) => (req.path === '/widget' || req.path === '/widget.html' ? framable : standard)(req, res, next);
