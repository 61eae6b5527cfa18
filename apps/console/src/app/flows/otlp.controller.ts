import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { FlowStore } from './flow-store.service';
import { otlpTraceRequest, spansFromOtlp } from './span';

/**
 * OTLP/HTTP trace receiver (OpenTelemetry protocol spec, "OTLP/HTTP"): the apps' exporters post
 * `ExportTraceServiceRequest` as JSON to `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`, so
 * `OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:8080/console/otlp` points any OTLP exporter here.
 * Only the JSON encoding is accepted; protobuf gets 415 (set `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
 */
@Controller('otlp/v1')
export class OtlpController {
  constructor(private readonly store: FlowStore) {}

  @Post('traces')
  @HttpCode(200)
  receive(@Body() body: unknown): Record<string, never> {
    const parsed = otlpTraceRequest.safeParse(body);
    if (!parsed.success) throw new BadRequestException('not an OTLP/JSON ExportTraceServiceRequest');
    this.store.add(spansFromOtlp(parsed.data));
    return {}; // ExportTraceServiceResponse: everything accepted
  }
}
