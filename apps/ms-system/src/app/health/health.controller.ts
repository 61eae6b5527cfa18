import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

/**
 * Liveness and readiness. The auth-server is deliberately not checked: ms-system serves
 * locally verifiable JWTs while it is down, and a resource server that reports unhealthy
 * whenever its authorization server blinks would cascade one outage into two.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness, including a database round trip' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 1500 })]);
    } catch (error) {
      // Terminus throws a 503 carrying the result; answer it as such rather than as a 500.
      const response = (error as { getResponse?: () => unknown }).getResponse?.();
      void reply.status(503);
      return (response as HealthCheckResult) ?? { status: 'error', info: {}, error: {}, details: {} };
    }
  }
}
