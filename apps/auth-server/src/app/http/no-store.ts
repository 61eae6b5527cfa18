import { applyDecorators, Header } from '@nestjs/common';

/** The two headers every response carrying tokens or token state must have. */
export const NO_STORE_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/**
 * Marks a route whose successful responses carry tokens or token state: they must never be
 * cached (RFC 6749 §5.1; RFC 7662 §2.2 and RFC 7009 by reference). Error responses get the same
 * headers from the one ErrorResponseFilter.
 */
export function NoStore(): MethodDecorator {
  return applyDecorators(...Object.entries(NO_STORE_HEADERS).map(([name, value]) => Header(name, value)));
}
