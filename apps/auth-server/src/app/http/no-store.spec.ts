import { HEADERS_METADATA } from '@nestjs/common/constants';
import { NoStore } from './no-store';

describe('@NoStore() (RFC 6749 §5.1)', () => {
  it('sets Cache-Control: no-store and Pragma: no-cache on the route', () => {
    class Endpoint {
      @NoStore()
      handle(): void {
        return undefined;
      }
    }
    const headers = Reflect.getMetadata(HEADERS_METADATA, Endpoint.prototype.handle) as Array<{ name: string; value: string }>;
    expect(Object.fromEntries(headers.map(({ name, value }) => [name, value]))).toEqual({
      'cache-control': 'no-store',
      pragma: 'no-cache',
    });
  });
});
