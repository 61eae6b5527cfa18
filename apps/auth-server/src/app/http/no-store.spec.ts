import { setNoStore } from './no-store';

describe('no-store step (RFC 6749 §5.1)', () => {
  it('sets Cache-Control: no-store and Pragma: no-cache', () => {
    const headers: Record<string, string> = {};
    const reply = { header: (name: string, value: string) => ((headers[name] = value), reply) };
    setNoStore(reply as never);
    expect(headers).toEqual({ 'cache-control': 'no-store', pragma: 'no-cache' });
  });
});
