import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { listen } from './create-app';

export interface AppBoot {
  /** Reads and validates the configuration; throws (naming the variable, never its value) on a bad one. */
  listenOn(): { port: number; host: string };
  /** Builds the app, unstarted (the e2e tests build it the same way). */
  create(): Promise<NestFastifyApplication>;
}

/**
 * Every app's `main.ts`: configuration first (fail fast, before PostgreSQL starts), then the app,
 * then listen. A failed boot closes the app (so no embedded PostgreSQL or pool outlives it),
 * writes one line to stderr — Nest buffers its own logs until the app logger is attached, which a
 * failed boot may never reach — and exits with 1. `DEBUG_BOOT=1` adds the stack.
 */
export async function runApp(name: string, boot: AppBoot): Promise<void> {
  let app: NestFastifyApplication | undefined;
  try {
    const { port, host } = boot.listenOn();
    app = await boot.create();
    await listen(app, port, host, name);
  } catch (error) {
    await app?.close().catch(() => undefined);
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    process.stderr.write(`${name} failed to start: ${message}\n`);
    if (process.env['DEBUG_BOOT']) process.stderr.write(`${stack}\n`);
    process.exit(1);
  }
}

export interface ApiDocsOptions {
  title: string;
  description: string;
  /** The credentials Swagger UI offers: Basic (client authentication) or a bearer token. */
  auth?: 'basic' | 'bearer';
  /**
   * Also declare the OAuth 2.0 client-credentials flow (security scheme `oauth2`), so Swagger UI's
   * "Authorize" fetches a token itself from `tokenUrl` (scopes: name → description).
   */
  clientCredentials?: { tokenUrl: string; scopes: Record<string, string> };
}

/** Swagger UI at `<base path>/docs` and the OpenAPI JSON at `<base path>/docs-json`, for every app alike. */
export function setupApiDocs(app: NestFastifyApplication, options: ApiDocsOptions): void {
  let builder = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1');
  if (options.auth === 'basic') builder = builder.addBasicAuth();
  if (options.auth === 'bearer') builder = builder.addBearerAuth();
  if (options.clientCredentials) {
    builder = builder.addOAuth2(
      {
        type: 'oauth2',
        description: 'Client credentials (RFC 6749 §4.4), e.g. service-client-jwt',
        flows: { clientCredentials: options.clientCredentials },
      },
      'oauth2',
    );
  }
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, builder.build()), { useGlobalPrefix: true });
}
