import { isResourceIndicator } from './resource-indicator';

describe('isResourceIndicator (RFC 8707 §2: an absolute URI without a fragment)', () => {
  it.each(['http://localhost:8091/ms-system', 'https://api.example.com/', 'urn:playground:reports'])('accepts %s', (value) => {
    expect(isResourceIndicator(value)).toBe(true);
  });

  it.each([
    ['a relative reference', '/ms-system'],
    ['a fragment', 'http://localhost:8091/ms-system#x'],
    ['no scheme', 'localhost:8091'.replace(':', '')],
    ['spaces', 'http://a b/'],
    ['non-ASCII', 'http://exämple.com/'],
    ['a NUL byte', 'urn:a\u0000b'],
    ['an empty string', ''],
    ['an over-long value', `urn:${'a'.repeat(2000)}`],
  ])('refuses %s', (_name, value) => {
    expect(isResourceIndicator(value)).toBe(false);
  });
});
