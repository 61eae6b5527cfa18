import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { CACHE_EVENTS_CHANNEL, CACHE_EVENTS_LISTEN, parseCacheEvent, type CacheEvent, type CacheEvents } from './cache-events.port';

/** Reconnect backoff: 100 ms doubling up to 5 s (milliseconds). */
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Postgres LISTEN/NOTIFY adapter of CacheEvents (ADR 0011). Publishing is `pg_notify` on the
 * shared pool; receiving uses one dedicated connection (a pooled one would be handed back and
 * stop listening). When that connection fails it is re-opened with exponential backoff, and
 * every successful (re)connection is delivered as `all`: events sent while nobody listened are
 * lost, so everything cached may be stale.
 */
@Injectable()
export class PgCacheEvents implements CacheEvents, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PgCacheEvents.name);
  private readonly handlers: Array<(event: CacheEvent) => void> = [];
  private listener?: Client;
  private backoffMs = BACKOFF_MIN_MS;
  private retry?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CACHE_EVENTS_LISTEN) private readonly listens: boolean,
  ) {}

  onModuleInit(): void {
    if (this.listens) void this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.listener?.end().catch(() => undefined);
  }

  subscribe(handler: (event: CacheEvent) => void): void {
    this.handlers.push(handler);
  }

  async publish(event: CacheEvent): Promise<void> {
    try {
      await this.db.query('SELECT pg_notify($1, $2)', [CACHE_EVENTS_CHANNEL, JSON.stringify(event)]);
    } catch (error) {
      this.logger.warn(`cache event not published (${event.kind}): ${(error as Error).message}`);
    }
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const { url } = this.db.options as PostgresConnectionOptions;
    const client = new Client({ connectionString: url, application_name: 'auth-server cache events' });
    client.on('error', () => undefined); // 'end' follows and reconnects
    client.on('notification', (message) => {
      if (message.channel === CACHE_EVENTS_CHANNEL) this.deliver(parseCacheEvent(message.payload));
    });
    client.on('end', () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_EVENTS_CHANNEL}`);
    } catch (error) {
      this.logger.warn(`cache events: cannot listen (${(error as Error).message}); retrying in ${this.backoffMs} ms`);
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      return;
    }
    if (this.closed) return void (await client.end().catch(() => undefined));
    this.listener = client;
    this.backoffMs = BACKOFF_MIN_MS;
    this.deliver({ kind: 'all' }); // anything may have changed while nobody listened
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.retry = setTimeout(() => void this.listen(), delay);
    this.retry.unref();
  }

  private deliver(event: CacheEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.logger.error(`cache event handler failed: ${(error as Error).message}`);
      }
    }
  }
}
