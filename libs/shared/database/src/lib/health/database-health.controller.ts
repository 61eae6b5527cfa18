import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

/**
 * `GET <base path>/health` of every app: liveness and readiness, one database round trip
 * (`SELECT 1`, 1.5 s at most). 200 `{"status":"ok",…}`, or 503 with the same shape when the
 * database does not answer (terminus's own exception would otherwise reach the error filter as a
 * 500). Nothing else is checked: an app that reported unhealthy whenever a neighbour blinked
 * would cascade one outage into two (ms-system serves local JWTs while the auth-server is down).
 */
@ApiTags('health')
@Controller('health')
export class DatabaseHealthController {
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
