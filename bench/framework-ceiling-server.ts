import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Fastify from 'fastify';

/**
 * What the frameworks alone can do on this machine (speed, issue 15): `FRAMEWORK=fastify` is
 * Fastify with one route, `FRAMEWORK=nest` Nest on that adapter with one controller — no hooks,
 * guards, logging or headers of ours. Both answer GET /health with the body of the service's
 * /health, on the port the bench gives them. The framework scenario measures them beside the
 * bare node:http handler, so a run shows how much of the gap is the frameworks' own.
 */
const body = { status: 'ok', info: {}, error: {}, details: {} };
const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';

@Controller('health')
class HealthController {
  @Get()
  live(): typeof body {
    return body;
  }
}

@Module({ controllers: [HealthController] })
class CeilingModule {}

async function main(): Promise<void> {
  if (process.env.FRAMEWORK === 'fastify') {
    const app = Fastify();
    app.get('/health', () => body);
    await app.listen({ port, host });
    return;
  }
  const app = await NestFactory.create(CeilingModule, new FastifyAdapter(), { logger: false });
  await app.listen(port, host);
}

void main();
