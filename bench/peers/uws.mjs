// uWebSockets.js as the uws and sio-uws contenders load it (@trufflesuite/uws-js-unofficial, a packaging of
// uWebSockets v20.30 with prebuilt binaries). No fallback: the package falls back to a JavaScript
// implementation on ws when its binary does not load, which would measure ws under uWebSockets' name.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const uWS = require('@trufflesuite/uws-js-unofficial');
if (!Object.keys(require.cache).some((file) => file.endsWith('.node'))) {
  throw new Error('uWebSockets.js did not load its native binary (fallback implementation): refusing to run');
}
