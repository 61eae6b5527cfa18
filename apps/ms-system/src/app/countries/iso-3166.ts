import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

export interface CountryRow {
  code: string;
  name: string;
}

/**
 * Codes the dataset carries that are not ISO 3166-1 assignments: XK/XKK (Kosovo) is a
 * user-assigned code used by the EU and others, not part of the standard's 249 entries.
 */
const NOT_ISO_3166_1 = new Set(['XKK']);

export const ISO_3166_1_COUNT = 249;

/**
 * The 249 ISO 3166-1 countries from the maintained `i18n-iso-countries` dataset: alpha-3 code and
 * the English name upper-cased (AUS → AUSTRALIA). Where the dataset offers several English names
 * the first ("official" in the package's terms) is used.
 */
export function iso3166Countries(): CountryRow[] {
  countries.registerLocale(en);
  const rows = Object.keys(countries.getAlpha3Codes())
    .filter((code) => !NOT_ISO_3166_1.has(code))
    .map((code) => {
      const name = countries.getName(code, 'en', { select: 'official' });
      if (!name) throw new Error(`no English name for ${code} in i18n-iso-countries`);
      return { code: code.toUpperCase(), name: name.toLocaleUpperCase('en-US') };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  // The seed is the contract's "all 249": a dataset upgrade that changes the count must be looked at.
  if (rows.length !== ISO_3166_1_COUNT)
    throw new Error(`expected ${ISO_3166_1_COUNT} ISO 3166-1 countries, the dataset has ${rows.length}`);
  return rows;
}
