import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the console: Debian's Chromium against the built service (`npm run build`),
 * started by the global setup on a free port with a fresh database and its own Redis prefix.
 */
export default defineConfig({
  testDir: 'e2e-web',
  testMatch: '**/*.pw.ts',
  globalSetup: './e2e-web/support/global-setup.ts',
  globalTeardown: './e2e-web/support/global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    trace: 'off',
    screenshot: 'only-on-failure',
    // Screenshots to look at (CC_SHOTS_DIR) show charts drawn, not mid-animation.
    reducedMotion: process.env.CC_SHOTS_DIR ? 'reduce' : 'no-preference',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Playwright gives every launch a fresh, temporary user-data dir of its own.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
});
