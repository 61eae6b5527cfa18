import type { FastifyReply } from 'fastify';

/**
 * Last pipeline step: responses carrying tokens or token state must never be cached
 * (RFC 6749 §5.1, RFC 7662 §2.2 by reference).
 */
export function setNoStore(reply: Pick<FastifyReply, 'header'>): void {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
}
