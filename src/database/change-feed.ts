import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * Postgres LISTEN for the per-process caches (speed, issue 15): triggers `pg_notify` a channel
 * when rows a cache keeps change and their transaction commits, whoever wrote them, and every
 * process drops what it kept. One connection per process, opened at start when some cache
 * subscribed. While it is down (and when it comes back) every subscriber is told to drop all:
 * the caches' own short lifetimes bound what a lost message can cost.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly handlers = new Map<string, Set<() => void>>();
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly log = new Logger('ChangeFeed');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Calls `drop` when `channel` is notified, and whenever messages may have been missed. */
  on(channel: string, drop: () => void): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    const set = this.handlers.get(channel) ?? new Set();
    set.add(drop);
    this.handlers.set(channel, set);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.handlers.size) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private dropAll(): void {
    for (const set of this.handlers.values()) for (const drop of set) drop();
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.config.database.url,
      application_name: `chuangcheng-${this.config.role}-listen`,
    });
    const lost = (reason: string): void => {
      if (this.client !== client) return;
      this.client = null;
      this.dropAll();
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn(`change feed lost (${reason}); retrying in 1 s`);
      this.retry = setTimeout(() => void this.listen(), 1000);
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (n) => {
      for (const drop of this.handlers.get(n.channel) ?? []) drop();
    });
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      // What changed while no one listened.
      this.dropAll();
    } catch (e) {
      lost((e as Error).message);
    }
  }
}
