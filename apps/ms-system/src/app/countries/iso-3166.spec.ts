import { iso3166Countries } from './iso-3166';

describe('ISO 3166-1 seed data (i18n-iso-countries)', () => {
  const countries = iso3166Countries();

  it('has exactly the 249 ISO 3166-1 countries, unique alpha-3 codes, sorted', () => {
    expect(countries).toHaveLength(249);
    const codes = countries.map((c) => c.code);
    expect(new Set(codes).size).toBe(249);
    expect(codes).toEqual([...codes].sort());
    expect(codes.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
  });

  it('names are the upper-cased English names', () => {
    const byCode = new Map(countries.map((c) => [c.code, c.name]));
    expect(byCode.get('AUS')).toBe('AUSTRALIA');
    expect(byCode.get('NZL')).toBe('NEW ZEALAND');
    expect(byCode.get('ALA')).toBe('ÅLAND ISLANDS');
    expect(countries.every((c) => c.name === c.name.toLocaleUpperCase('en-US') && c.name.length <= 100)).toBe(true);
  });

  it('leaves out Kosovo (XKK), a user-assigned code that is not part of ISO 3166-1', () => {
    expect(countries.find((c) => c.code === 'XKK')).toBeUndefined();
  });
});
