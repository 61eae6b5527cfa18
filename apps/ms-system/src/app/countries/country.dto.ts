import { z } from 'zod';

/** Path parameter: exactly three ASCII letters, any case (matched case-insensitively). */
export const countryCodeSchema = z.string().regex(/^[A-Za-z]{3}$/, 'code must be three letters (ISO 3166-1 alpha-3)');

const positiveInt = (name: string) =>
  z
    .string()
    .regex(/^[0-9]{1,9}$/, `${name} must be a positive integer`)
    .transform(Number)
    .refine((n) => n >= 1, `${name} must be at least 1`);

export const MAX_PAGE_SIZE = 100;

/** `?page=1&size=20`: pages from 1, size 1..100 (default 20). Repeated parameters are refused. */
export const countryPageQuerySchema = z.object({
  page: positiveInt('page').default(1),
  size: positiveInt('size')
    .refine((n) => n <= MAX_PAGE_SIZE, `size must be at most ${MAX_PAGE_SIZE}`)
    .default(20),
});

export type CountryPageQuery = z.output<typeof countryPageQuerySchema>;
