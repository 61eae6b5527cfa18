import { isStorableText } from './storable-text';

describe('isStorableText (what PostgreSQL text can take)', () => {
  it.each(['service-client-jwt', 'ünïcödé ✓', '😀 pair', 'x'.repeat(1024)])('%j → true', (value) => {
    expect(isStorableText(value)).toBe(true);
  });

  it.each([
    ['a NUL byte', 'user\u0000client'],
    ['a lone high surrogate', 'user\ud800client'],
    ['a lone low surrogate', '\udc00'],
    ['an over-long value', 'x'.repeat(1025)],
  ])('%s → false', (_label, value) => {
    expect(isStorableText(value)).toBe(false);
  });
});
