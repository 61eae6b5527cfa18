import { InvalidRequestError } from '@playground/oauth-contracts';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Pipeline step 1 of every OAuth endpoint: the body must be a form (RFC 6749 §4.4.2, RFC 7662
 * §2.1, RFC 7009 §2.1) and no parameter may appear twice (RFC 6749 §3.2). Parameters nobody
 * asked for stay in the map and are ignored by the later steps.
 *
 * `repeatable` names the parameters a spec lets repeat (RFC 8707 §2 `resource`): they are left
 * out of the map and read with {@link formParameterList}.
 *
 * `body` is what the Fastify parser produced: an object of strings, with arrays for repeated
 * names (Nest's form parser), or a raw Buffer for any other content type (the catch-all parser
 * this app registers, so the request reaches here and gets an OAuth error instead of a 415).
 */
export function parseFormParameters(
  contentType: string | undefined,
  body: unknown,
  repeatable: readonly string[] = [],
): Record<string, string> {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== FORM) {
    throw new InvalidRequestError(`the request body must be ${FORM}`, { reason: `content type "${mediaType.slice(0, 80)}"` });
  }
  const params: Record<string, string> = Object.create(null);
  if (body === undefined || body === null) return params;
  if (typeof body !== 'object' || Buffer.isBuffer(body)) throw new InvalidRequestError('the request body is not a valid form');
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    // Read with formParameterList(); kept out of the one-value map so no step takes one of many.
    if (repeatable.includes(name)) continue;
    if (Array.isArray(value)) throw new InvalidRequestError(`parameter '${printable(name)}' is repeated`);
    if (typeof value !== 'string') throw new InvalidRequestError('the request body is not a valid form');
    params[name] = value;
  }
  return params;
}

/** Every value of a repeatable parameter, in request order (empty when absent). */
export function formParameterList(body: unknown, name: string): string[] {
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return [];
  const value: unknown = (body as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (values.some((v) => typeof v !== 'string')) throw new InvalidRequestError('the request body is not a valid form');
  return values as string[];
}

/** Parameter names are echoed back: keep them short and harmless. */
function printable(name: string): string {
  const safe = name.replace(/[^\w.~-]/g, '?');
  return safe.length > 40 ? `${safe.slice(0, 40)}...` : safe;
}

/** A required parameter, present and non-empty. */
export function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new InvalidRequestError(`missing parameter '${name}'`);
  return value;
}
