import { nanosToMs, otlpTraceRequest, spansFromOtlp } from './span';

describe('OTLP/JSON decoding', () => {
  it('reads an ExportTraceServiceRequest as the JavaScript exporter sends it (hex ids, nanosecond strings)', () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'auth-server' } }] },
          scopeSpans: [
            {
              scope: { name: '@opentelemetry/instrumentation-http' },
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  parentSpanId: '',
                  name: 'POST',
                  kind: 2,
                  startTimeUnixNano: '1700000000123456789',
                  endTimeUnixNano: '1700000000133456789',
                  attributes: [
                    { key: 'http.response.status_code', value: { intValue: 200 } },
                    { key: 'url.path', value: { stringValue: '/ms-auth-server/oauth2/token' } },
                    { key: 'ok', value: { boolValue: true } },
                  ],
                  status: { code: 0 },
                  droppedAttributesCount: 0,
                },
              ],
            },
          ],
        },
      ],
    };
    const parsed = otlpTraceRequest.safeParse(body);
    if (!parsed.success) throw new Error(parsed.error.message);
    const [span] = spansFromOtlp(parsed.data);
    expect(span).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: undefined,
      name: 'POST',
      kind: 'server',
      service: 'auth-server',
      startMs: 1700000000123.456,
      endMs: 1700000000133.456,
      attributes: { 'http.response.status_code': 200, 'url.path': '/ms-auth-server/oauth2/token', ok: true },
      error: false,
    });
  });

  it('refuses ids that are not hex of the right length', () => {
    const bad = {
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: '1', name: 'n', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] },
      ],
    };
    expect(otlpTraceRequest.safeParse(bad).success).toBe(false);
  });

  it('keeps sub-millisecond precision of nanosecond timestamps', () => {
    expect(nanosToMs('1700000000000000001')).toBe(1700000000000);
    expect(nanosToMs('1500000')).toBe(1.5);
  });
});
