import fc from 'fast-check';
import { unquoteEtag } from './listed-object';

describe('unquoteEtag', () => {
  it('drops a weak marker and the quotes as the two expressions do, on any text', () => {
    const byExpressions = (etag: string | undefined) => (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
    const etag = fc.oneof(
      fc.string({ unit: fc.constantFrom('"', 'W', '/', 'a', '0', ' ') }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((hex) => `"${hex}"`),
      fc.constant(undefined),
    );
    fc.assert(fc.property(etag, (text) => expect(unquoteEtag(text)).toBe(byExpressions(text))), { numRuns: 2_000 });
    expect(unquoteEtag('"abc"')).toBe('abc');
    expect(unquoteEtag('W/"abc"')).toBe('abc');
    expect(unquoteEtag('"')).toBe('');
  });
});
