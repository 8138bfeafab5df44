/** `@toapis/image-kit/server` (and `/mock`): the proxy's options and the handlers hosts mount. */
import { describe, expectTypeOf, test } from 'vitest';
import {
  createSimulator,
  createToapisProxy,
  type ProxyIdentity,
  type Simulator,
  type ToapisProxy,
  type ToapisProxyOptions,
  type ToapisProxyStats,
} from '@toapis/image-kit/server';
import { createMockHandlers } from '@toapis/image-kit/mock';

describe('createToapisProxy', () => {
  test('takes ToapisProxyOptions and gives a web-standard handler', () => {
    expectTypeOf(createToapisProxy).parameter(0).toEqualTypeOf<ToapisProxyOptions>();
    expectTypeOf(createToapisProxy).returns.toEqualTypeOf<ToapisProxy>();
    expectTypeOf<ToapisProxy['fetch']>().toEqualTypeOf<(request: Request, env?: unknown) => Promise<Response>>();
    expectTypeOf<ToapisProxy['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<ToapisProxy['stats']>().toEqualTypeOf<ToapisProxyStats>();
  });

  test('options: only the key is required', () => {
    expectTypeOf<ToapisProxyOptions['apiKey']>().toEqualTypeOf<string>();
    expectTypeOf<{ apiKey: string }>().toExtend<ToapisProxyOptions>();
    expectTypeOf<ToapisProxyOptions['allowedOrigins']>().toEqualTypeOf<readonly string[] | '*' | undefined>();
    expectTypeOf<ToapisProxyOptions['logFormat']>().toEqualTypeOf<'json' | 'pretty' | undefined>();
    expectTypeOf<NonNullable<ToapisProxyOptions['authenticate']>>().returns.toEqualTypeOf<
      Promise<ProxyIdentity | Response | null> | ProxyIdentity | Response | null
    >();
  });

  test('wrong options are refused', () => {
    // @ts-expect-error apiKey is required
    createToapisProxy({ upstream: 'https://toapis.com' });
    // @ts-expect-error allowedOrigins is a list or '*', not one origin
    createToapisProxy({ apiKey: 'sk', allowedOrigins: 'https://example.com' });
    // @ts-expect-error logFormat is 'json' or 'pretty'
    createToapisProxy({ apiKey: 'sk', logFormat: 'text' });
  });
});

describe('the simulator and the mock handlers', () => {
  test('createSimulator gives a fetch handler', () => {
    expectTypeOf(createSimulator()).toEqualTypeOf<Simulator>();
    expectTypeOf<Simulator['fetch']>().toEqualTypeOf<(request: Request) => Promise<Response>>();
    expectTypeOf(createMockHandlers).returns.not.toBeAny();
    // @ts-expect-error the simulator answers Requests, not URLs
    void createSimulator().fetch('/v1/capabilities');
  });
});
