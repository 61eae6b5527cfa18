import { redactAttributes, redactQuery, redactSpan, REDACTED } from './span-redaction';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJzZXJ2aWNlLWNsaWVudC1qd3QifQ.c2lnbmF0dXJl';

describe('span redaction (no credential leaves a process in a span)', () => {
  it('drops the value of a token sent in the query (RFC 6750 §2.3), keeping the path and other parameters', () => {
    expect(redactQuery(`/ms-system/country/code/AUS?access_token=opaque-secret-value&lang=en`)).toBe(
      `/ms-system/country/code/AUS?access_token=${REDACTED}&lang=en`,
    );
    expect(redactQuery('client_id=a&client_secret=b&client_assertion=c')).toBe(
      `client_id=a&client_secret=${REDACTED}&client_assertion=${REDACTED}`,
    );
    expect(redactQuery('http://h/p?Access_Token=x#frag')).toBe(`http://h/p?Access_Token=${REDACTED}#frag`);
  });

  it('leaves URLs without credentials unchanged', () => {
    expect(redactQuery('/ms-auth-server/oauth2/revocations?after=42')).toBe('/ms-auth-server/oauth2/revocations?after=42');
    expect(redactQuery('/plain/path')).toBe('/plain/path');
  });

  it('removes JWT-shaped text from any attribute, and credential parameters from URL attributes', () => {
    const attributes = redactAttributes({
      'url.full': `http://localhost:8091/ms-system/country?access_token=abc`,
      'url.query': `token=${JWT}`,
      'db.query.text': `SELECT '${JWT}'`,
      'http.response.status_code': 200,
      'oauth.client_id': 'service-client-jwt',
    });
    expect(attributes).toEqual({
      'url.full': `http://localhost:8091/ms-system/country?access_token=${REDACTED}`,
      'url.query': `token=${REDACTED}`,
      'db.query.text': `SELECT '${REDACTED}'`,
      'http.response.status_code': 200,
      'oauth.client_id': 'service-client-jwt',
    });
    expect(JSON.stringify(attributes)).not.toContain('c2lnbmF0dXJl');
  });

  it('wraps a span so that only its attributes change', () => {
    const span = {
      name: 'GET',
      attributes: { 'url.query': 'access_token=abc' },
      spanContext: () => ({ traceId: 't' }),
    } as unknown as ReadableSpan;
    const safe = redactSpan(span);
    expect(safe.attributes).toEqual({ 'url.query': `access_token=${REDACTED}` });
    expect(safe.name).toBe('GET');
    expect(safe.spanContext().traceId).toBe('t');
    const clean = { attributes: { 'url.path': '/x' } } as unknown as ReadableSpan;
    expect(redactSpan(clean)).toBe(clean);
  });
});
