/**
 * Starts the built service exactly as `node dist/src/main.js` does (main.ts boots on import),
 * under this file's name, so that a broad `pkill -f dist/src/main.js` elsewhere on a shared
 * machine cannot take the benchmark's server down mid-run.
 */
import '../src/main.js';
