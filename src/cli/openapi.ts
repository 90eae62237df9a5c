import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../config/app-config.js';
import { buildOpenApiDocument } from '../openapi.js';
import { runCli, say } from './cli-common.js';

/**
 * `npm run openapi`: writes openapi.json from the code. The app is built, not started; building it
 * opens the database pool, so it connects to Postgres's maintenance database (no app database,
 * no migrations needed) unless DATABASE_URL says otherwise.
 */
runCli(async () => {
  const app = await createApp(
    loadConfig({
      DATABASE_URL: 'postgres://postgres@localhost:5432/postgres',
      ...process.env,
      SWAGGER_ENABLED: 'false',
      LOG_LEVEL: 'silent',
    }),
    pino({ level: 'silent' }),
  );
  const doc = buildOpenApiDocument(app);
  writeFileSync('openapi.json', JSON.stringify(doc, null, 2) + '\n');
  say('openapi.json written');
  process.exit(0);
});
