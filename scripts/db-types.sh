#!/bin/sh
# `npm run db:types`: regenerates src/database/db.generated.ts — the row types of every table, read
# by kysely-codegen from a scratch database migrated with migrations/. A migration that renames a
# column therefore breaks the compile of every query that uses the old name.
# test/schema-drift.e2e-spec.ts fails when the committed file is stale.
# .kysely-codegenrc.json (read by kysely-codegen here and in that test) narrows columns the
# database keeps as varchar + CHECK to the unions the code uses: tasks.status is a TaskStatus.
set -e
BASE=${TEST_DATABASE_URL:-postgres://postgres@localhost:5432/postgres}
NAME="cc_dbtypes_$$"
URL=$(printf '%s' "$BASE" | sed "s#/[^/]*\$#/$NAME#")
node_modules/.bin/node -e "
const pg = require('pg');
const c = new pg.Client({ connectionString: process.argv[1] });
c.connect().then(() => c.query('CREATE DATABASE $NAME')).then(() => c.end());
" "$BASE"
cleanup() {
  node_modules/.bin/node -e "
const pg = require('pg');
const c = new pg.Client({ connectionString: process.argv[1] });
c.connect().then(() => c.query('DROP DATABASE IF EXISTS $NAME WITH (FORCE)')).then(() => c.end());
" "$BASE"
}
trap cleanup EXIT
npx tsc -p tsconfig.build.json
DATABASE_URL="$URL" LOG_LEVEL=warn node_modules/.bin/node dist/src/cli/migrate.js up >/dev/null
npx kysely-codegen --dialect postgres --url "$URL" --exclude-pattern migrations \
  --out-file src/database/db.generated.ts --log-level warn ${DB_TYPES_VERIFY:+--verify}
