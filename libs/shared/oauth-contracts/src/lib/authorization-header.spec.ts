import { parseAuthorizationHeader } from './authorization-header';

describe('parseAuthorizationHeader (RFC 9110 §11.4: scheme 1*SP credentials)', () => {
  it.each([
    ['Bearer abc', 'Bearer', 'abc'],
    ['Bearer  abc', 'Bearer', 'abc'],
    ['bearer     abc  ', 'bearer', 'abc'],
    ['Basic   dXNlcjpwYXNz', 'Basic', 'dXNlcjpwYXNz'],
    ['DPoP  eyJ.a.b', 'DPoP', 'eyJ.a.b'],
    ['Bearer a b', 'Bearer', 'a b'],
  ])('%j → scheme %s, credentials %s', (header, scheme, credentials) => {
    expect(parseAuthorizationHeader(header)).toEqual({ scheme, credentials });
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', ' Bearer abc', 'Bearer\tabc'])('%j → undefined', (header) => {
    expect(parseAuthorizationHeader(header)).toBeUndefined();
  });
});
