import { describe, expect, it } from 'vitest';
import { IpcError } from '../src/errors.ts';
import { ErrorCode } from '../src/gen/types.ts';

describe('IpcError', () => {
  it('carries a code, a prefixed message and the cause', () => {
    const cause = new Error('ENOENT');
    const error = new IpcError(ErrorCode.NotFound, 'no such key', { cause });
    expect(error.code).toBe(ErrorCode.NotFound);
    expect(error.message).toBe('[NotFound] no such key');
    expect(error.rawMessage).toBe('no such key');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('IpcError');
  });

  it('is recognised by name, so another copy of the package agrees', () => {
    const foreign = Object.assign(new Error('[Timeout] late'), {
      name: 'IpcError',
      code: ErrorCode.Timeout,
    });
    expect(IpcError.is(foreign)).toBe(true);
    expect(IpcError.is(new Error('plain'))).toBe(false);
    expect(IpcError.is({ name: 'IpcError', code: 1 })).toBe(false);
  });

  it('from() passes IpcErrors through and wraps anything else with the cause', () => {
    const original = new IpcError(ErrorCode.Busy, 'ring full');
    expect(IpcError.from(original)).toBe(original);
    const wrapped = IpcError.from(new RangeError('boom'), ErrorCode.Internal);
    expect(wrapped.code).toBe(ErrorCode.Internal);
    expect(wrapped.cause).toBeInstanceOf(RangeError);
    expect(IpcError.from('text').code).toBe(ErrorCode.Unknown);
  });
});
