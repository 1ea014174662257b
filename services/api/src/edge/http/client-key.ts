import type { FastifyRequest } from 'fastify';

/**
 * Who a per-client limit counts against: the API key's principal when keys are configured, else the
 * client address (behind a load balancer, the one TRUST_PROXY lets fastify read from X-Forwarded-For).
 */
export function clientKeyOf(request: FastifyRequest): string {
  return request.principal && request.principal !== 'open' ? request.principal : request.ip;
}
