import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * The service as `serve-api.ts` starts it, for `bench/profile.ts`: the first SIGWINCH (a signal Nest's shutdown hooks leave alone) starts V8's
 * CPU profiler (after start-up and warm-up, so that they stay out of the profile), the second
 * writes the profile to PROFILE_FILE and ends the process.
 */
const session = new Session();
session.connect();
let running = false;
process.on('SIGWINCH', () => {
  void (async () => {
    if (!running) {
      running = true;
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return;
    }
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(String(process.env.PROFILE_FILE), JSON.stringify(profile));
    process.exit(0);
  })();
});
await import('../src/main.js');
