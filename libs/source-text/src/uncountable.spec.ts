import { UncountableObjectError } from './uncountable';

describe('UncountableObjectError', () => {
  it('carries its reason and detail, and says both in its message and name', () => {
    const error = new UncountableObjectError('binary', 'contains a NUL byte');
    expect(error).toBeInstanceOf(Error);
    expect(error.reason).toBe('binary');
    expect(error.detail).toBe('contains a NUL byte');
    expect(error.message).toBe('binary: contains a NUL byte');
    expect(String(error)).toBe('UncountableObjectError: binary: contains a NUL byte');
  });
});
