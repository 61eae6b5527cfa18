import { z } from 'zod';
import { loadConfig } from './config';

describe('loadConfig: configuration fails at boot, naming the variable but never its value', () => {
  const schema = z.object({ PORT: z.coerce.number().int().max(65535).default(8085), CLIENT_SECRET: z.string().min(12) });

  it('applies defaults and coerces', () => {
    expect(loadConfig(schema, { CLIENT_SECRET: 'a-long-enough-secret' })).toEqual({ PORT: 8085, CLIENT_SECRET: 'a-long-enough-secret' });
  });

  it('lists every bad variable and does not echo secrets', () => {
    let message = '';
    try {
      loadConfig(schema, { PORT: '99999', CLIENT_SECRET: 'short-pw' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid configuration:/);
    expect(message).toContain('PORT');
    expect(message).toContain('CLIENT_SECRET');
    expect(message).not.toContain('short-pw');
  });
});
