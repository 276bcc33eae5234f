import { canonicalEncoding, isKnownEncoding } from './encodings';

describe('encodings', () => {
  it('names an encoding as TextDecoder does, whatever label and spaces it was given', () => {
    expect(canonicalEncoding(' latin1 ')).toBe('windows-1252');
    expect(canonicalEncoding('UTF8')).toBe('utf-8');
    expect(canonicalEncoding('no-such-encoding')).toBeUndefined();
    // A plan records the canonical name only.
    expect([isKnownEncoding('windows-1252'), isKnownEncoding('latin1'), isKnownEncoding('nope')]).toEqual([true, false, false]);
  });
});
