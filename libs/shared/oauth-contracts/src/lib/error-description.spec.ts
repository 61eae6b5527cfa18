import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as contracts from '../index';
import { isErrorDescription, ProtocolError, toErrorDescription } from './protocol-error';

/** RFC 6749 §5.2: error_description = 1*( %x20-21 / %x23-5B / %x5D-7E ). */
const CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/;
const NASTY = 'a "quoted" \\ back\u2026slash\r\nline\tend é \u0000 <script>';

type ErrorClass = new (...args: unknown[]) => ProtocolError;

/** Every error class the contracts export (they all share ProtocolError). */
const errorClasses = (Object.values(contracts) as unknown[]).filter(
  (value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof ProtocolError,
);

/** Builds one of them with `description` wherever its constructor takes text (abstract bases included: only TypeScript stops that). */
function build(Class: ErrorClass, description: string): ProtocolError {
  return new Class(description, { reason: description });
}

describe('error_description charset (RFC 6749 §5.2) — a property of the one error base', () => {
  it('is at least the OAuth and bearer families', () => {
    const names = errorClasses.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['InvalidRequestError', 'InvalidClientError', 'ServerError', 'InvalidTokenError', 'InsufficientScopeError']),
    );
  });

  it.each(errorClasses.map((c) => [c.name, c]))(
    '%s: any text in, a §5.2 description out, in the body and in the challenge',
    (_name, Class) => {
      const error = build(Class, NASTY);
      const body = (error as unknown as { toJSON(): { error_description?: string } }).toJSON();
      expect(body.error_description).toMatch(CHARSET);
      if (error instanceof contracts.BearerError) {
        const params = error.challenge('realm').match(/error_description="([^"]*)"/);
        if (error.code) expect(params?.[1]).toMatch(CHARSET);
      }
    },
  );

  it('maps the usual offenders readably', () => {
    expect(toErrorDescription('missing parameter "scope"\u2026')).toBe("missing parameter 'scope'...");
    expect(toErrorDescription('a\\b')).toBe('a/b');
    expect(isErrorDescription('fine text')).toBe(true);
    expect(isErrorDescription('not "fine"')).toBe(false);
    expect(isErrorDescription('')).toBe(false);
  });
});

/**
 * The sweep: every error the code can raise with a description written in the source. Each
 * `new <ProtocolError subclass>('…')`, `new <Nest HttpException>('…')` (and the BearerError
 * factories) in apps/, libs/ and tools/ must
 * already be in the charset, so the base never has to rewrite what an author wrote; `${…}` parts
 * are replaced by a plain word (what they interpolate is sanitised by the base at run time).
 */
describe('error_description sweep over the source tree', () => {
  const root = join(__dirname, '../../../../..');
  const names = errorClasses.map((c) => c.name).concat('BearerError.invalidToken', 'BearerError.invalidRequest');
  // Nest's HttpExceptions reach the wire as {error, error_description} through the same filter.
  const call = new RegExp(
    `(?:new (?:${errorClasses.map((c) => c.name).join('|')}|\\w+Exception)|BearerError\\.(?:invalidToken|invalidRequest))\\(\\s*(['"\`])((?:\\\\.|(?!\\1)[^\\\\])*)\\1`,
    'g',
  );

  function* sources(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', '.data', '.nx', 'coverage'].includes(entry.name) || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* sources(path);
      else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.(spec|e2e-spec)\.ts$/.test(entry.name)) yield path;
    }
  }

  const found: Array<[string, string]> = [];
  for (const dir of ['apps', 'libs', 'tools']) {
    for (const file of sources(join(root, dir))) {
      for (const match of readFileSync(file, 'utf8').matchAll(call)) {
        const text = match[2].replace(/\$\{[^}]*\}/g, 'value').replace(/\\(['"`\\])/g, '$1');
        found.push([`${relative(root, file)}: ${match[0].slice(0, 60)}`, text]);
      }
    }
  }

  it('finds the errors the endpoints raise', () => {
    expect(names.length).toBeGreaterThan(5);
    expect(found.length).toBeGreaterThan(15);
  });

  it.each(found)('%s', (_where, text) => {
    expect(text).toMatch(CHARSET);
  });
});
