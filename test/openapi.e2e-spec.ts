import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { describeRule, type DeadlineRule } from '../src/tasks/deadline/deadline.js';
import {
  statusLabel,
  TASK_ACTIONS,
  TASK_STATUSES,
  TRANSITIONS,
  type TaskAction,
  type TaskStatus,
} from '../src/tasks/task-lifecycle.js';

/**
 * The committed openapi.json as its consumers use it: Swagger UI, a validator and a client
 * generator. platform.e2e-spec.ts checks that it is the document the code builds; this file
 * checks that the document is worth building. OPENAPI_FILE points it at another copy (e.g. an
 * old one, to see these tests fail).
 */
const FILE = process.env.OPENAPI_FILE ?? 'openapi.json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const load = (): Doc => JSON.parse(readFileSync(FILE, 'utf8')) as Doc;

function operations(doc: Doc): { id: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => ({
      id: `${m.toUpperCase()} ${path}`,
      path,
      op: item[m],
    })),
  );
}

/** What Swagger UI shows for a property: its example, else the first enum value. */
const shown = (s: Schema | undefined): unknown =>
  s?.example !== undefined ? s.example : s?.enum?.[0];

function resolve(doc: Doc, s: Schema | undefined): Schema | undefined {
  const ref = s?.$ref ?? s?.allOf?.find((x) => x.$ref)?.$ref;
  return ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : s;
}

/** Type-checks TypeScript source in memory (strict), returning the error messages. */
function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name in files
      ? ts.createSourceFile(name, files[name], version)
      : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name in files || fileExists.call(host, name);
  host.directoryExists = (dir) =>
    Object.keys(files).some((f) => f.startsWith(`${dir}/`)) || ts.sys.directoryExists(dir);
  host.readFile = (name) => files[name] ?? readFile.call(host, name);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe(`the OpenAPI document (${FILE})`, () => {
  it('is valid OpenAPI (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(load()) as never)).resolves.toBeDefined();
    // The validator is awake: the same document with a parameter the spec does not allow
    // (`in: body` is OpenAPI 2) is refused.
    const broken = load();
    broken.paths['/api/v1/tasks/{id}'].get.parameters?.push({ name: 'x', in: 'body' });
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(
      /schema validation failed/,
    );
  });

  it('generates TypeScript types a client can call a task action with, header and version optional', async () => {
    const source = astToString(await openapiTS(structuredClone(load()) as never));
    expect(source).toContain('"/api/v1/tasks/{id}/checks": {');
    expect(source).toContain('"/api/v1/tasks": {');
    expect(source).toContain('CheckDto: {');
    // A client sends a check with `version` in the body and no header at all: this compiles
    // only while both headers are optional and `version` is not required in the body.
    const usage = `
      import type { paths } from './api';
      type Check = paths['/api/v1/tasks/{id}/checks']['post'];
      type CreateTask = paths['/api/v1/tasks']['post'];
      const headers: NonNullable<Check['parameters']['header']> = {};
      const path: Check['parameters']['path'] = { id: '6f1c3e2a-0000-4000-8000-000000000001' };
      const body: Check['requestBody']['content']['application/json'] = { result: 'pass' };
      const viaHeader: NonNullable<Check['parameters']['header']> = { 'If-Match': '"3"' };
      const createHeaders: NonNullable<CreateTask['parameters']['header']> = {};
      const done: Check['responses'][200]['content']['application/json']['status'] = 'closed';
      export { headers, path, body, viaHeader, createHeaders, done };
    `;
    expect(typeErrors({ '/virtual/api.ts': source, '/virtual/usage.ts': usage })).toEqual([]);
  });

  it('declares If-Match and Idempotency-Key once each, optional, in their usual case; no duplicate parameters', () => {
    const problems: string[] = [];
    const seen = { 'if-match': 0, 'idempotency-key': 0 };
    for (const { id, op } of operations(load())) {
      const keys = new Set<string>();
      for (const p of op.parameters ?? []) {
        const name = p.name.toLowerCase();
        const key = `${p.in}:${name}`;
        if (keys.has(key)) problems.push(`${id}: ${p.in} parameter ${p.name} declared twice`);
        keys.add(key);
        if (p.in === 'header' && (name === 'if-match' || name === 'idempotency-key')) {
          seen[name] += 1;
          if (p.required) problems.push(`${id}: header ${p.name} is required`);
          if (p.name !== (name === 'if-match' ? 'If-Match' : 'Idempotency-Key'))
            problems.push(`${id}: header spelled ${p.name}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The 15 task actions (签收 the 15th), PATCH /tasks/{id}, the 11 versioned 快报 routes and
    // PUT /plans/{id}; POST /tasks, POST /inspections, POST /tasks/{id}/observations,
    // POST /attachments, Open311's POST requests and POST /inspections/{id}/checklist-walks.
    expect(seen).toEqual({ 'if-match': 33, 'idempotency-key': 6 });
  });

  it('gives every operation a Chinese summary, a description and its 4xx responses', () => {
    const problems: string[] = [];
    const ops = operations(load());
    for (const { id, path, op } of ops) {
      if (!/\p{Script=Han}/u.test(op.summary ?? '')) problems.push(`${id}: no Chinese summary`);
      if (!op.description?.trim()) problems.push(`${id}: no description`);
      const codes = Object.keys(op.responses);
      // The health checks are public and never rate limited: they answer 200 or 503 only.
      const health = path.startsWith('/health');
      if (!health && !codes.some((c) => /^4\d\d$/.test(c))) problems.push(`${id}: no 4xx response`);
      if (!health && !codes.includes('429')) problems.push(`${id}: no 429`);
      // Open311 answers errors in its spec's own format (a list of {code, description}).
      const errorBody = path.startsWith('/open311/')
        ? 'Open311ErrorDto'
        : '"application/problem+json"';
      for (const c of codes.filter((x) => /^4\d\d$/.test(x)))
        if (!JSON.stringify(op.responses[c]).includes(errorBody))
          problems.push(`${id}: ${c} is not documented as ${errorBody}`);
      if (/\{id\}/.test(path) && !codes.includes('404')) problems.push(`${id}: no 404`);
      if (op.requestBody && !codes.includes('400')) problems.push(`${id}: body but no 400`);
      const versioned = (op.parameters ?? []).some((p) => p.name === 'If-Match');
      if (versioned && !codes.includes('409')) problems.push(`${id}: If-Match but no 409`);
    }
    expect(problems).toEqual([]);
    expect(ops.length).toBeGreaterThanOrEqual(69);
  });

  it('shows examples that agree with the code: status with its label, events with the lifecycle, deadline rule with its label', () => {
    const doc = load();
    const problems: string[] = [];
    let pairs = 0;
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const p = schema.properties ?? {};
      if (p.status && p.statusLabel) {
        pairs += 1;
        const status = shown(p.status) as TaskStatus;
        if (!TASK_STATUSES.includes(status)) problems.push(`${name}: status example ${status}`);
        else if (shown(p.statusLabel) !== statusLabel(status))
          problems.push(
            `${name}: status ${status} shown with label ${String(shown(p.statusLabel))}, the code says ${statusLabel(status)}`,
          );
      }
      if (p.action && p.toStatus) {
        const action = shown(p.action) as TaskAction;
        const from = shown(p.fromStatus) as TaskStatus;
        const to = shown(p.toStatus) as TaskStatus;
        const rule = TASK_ACTIONS.includes(action) ? TRANSITIONS[action] : undefined;
        if (!rule)
          problems.push(`${name}: action example ${String(action)} is not a lifecycle action`);
        else if (!rule.from.includes(from) || (typeof rule.to === 'string' && rule.to !== to))
          problems.push(`${name}: ${action} shown from ${from} to ${to}`);
      }
      if (p.deadlineRule && p.deadlineLabel) {
        const ruleSchema = resolve(doc, p.deadlineRule)?.properties ?? {};
        const rule = Object.fromEntries(
          Object.entries(ruleSchema).map(([k, v]) => [k, shown(v)]),
        ) as unknown as DeadlineRule;
        if (describeRule(rule) !== shown(p.deadlineLabel))
          problems.push(
            `${name}: rule ${JSON.stringify(rule)} shown with label ${String(shown(p.deadlineLabel))}`,
          );
      }
    }
    expect(problems).toEqual([]);
    expect(pairs).toBeGreaterThanOrEqual(2); // TaskSummaryDto and TaskDetailDto
  });
});
