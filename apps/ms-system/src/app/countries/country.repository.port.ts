/** A country as the API shows it: exactly these two fields. */
export interface CountryView {
  code: string;
  name: string;
}

/** Persistence port of the country table (written only by migrations). */
export interface CountryRepository {
  /** Every country, ordered by code. */
  all(): Promise<CountryView[]>;
}

export const COUNTRY_REPOSITORY = Symbol('COUNTRY_REPOSITORY');
