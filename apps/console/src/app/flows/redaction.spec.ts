import { REDACTED, redactAttributes, redactQuery, redactUrl } from './redaction';

describe('console redaction (defence in depth for spans from any exporter)', () => {
  it('blanks attributes whose name says credential, but keeps the harmless oauth.* names', () => {
    expect(
      redactAttributes({
        'http.request.header.authorization': 'Basic c2VjcmV0',
        'oauth.client_secret': 'x',
        'app.api_key': 'k',
        'oauth.token_format': 'jwt',
        'oauth.cache': 'hit',
        'http.response.status_code': 401,
      }),
    ).toEqual({
      'http.request.header.authorization': REDACTED,
      'oauth.client_secret': REDACTED,
      'app.api_key': REDACTED,
      'oauth.token_format': 'jwt',
      'oauth.cache': 'hit',
      'http.response.status_code': 401,
    });
  });

  it('keeps query parameter names and drops credential values', () => {
    expect(redactQuery('?access_token=a&client_secret=b&code=c&after=3')).toBe(
      `?access_token=${REDACTED}&client_secret=${REDACTED}&code=${REDACTED}&after=3`,
    );
    expect(redactUrl('http://user:pw@localhost:8091/ms-system/x?token=abc&lang=en')).toBe(
      `http://localhost:8091/ms-system/x?token=${REDACTED}&lang=en`,
    );
    expect(redactUrl('/relative/path?client_assertion=eyJ')).toBe(`/relative/path?client_assertion=${REDACTED}`);
  });

  it('replaces anything JWT-shaped, wherever it is', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.sig-nature_part';
    expect(redactAttributes({ 'db.query.text': `SELECT '${jwt}'` })).toEqual({ 'db.query.text': "SELECT '[redacted JWT]'" });
  });
});
