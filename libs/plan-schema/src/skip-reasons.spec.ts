import { SKIP_REASON_DESCRIPTIONS, skipReasonSchema } from './skip-reasons';

describe('skip reasons', () => {
  it('describes every reason, and accepts no other', () => {
    for (const [reason, description] of Object.entries(SKIP_REASON_DESCRIPTIONS)) {
      expect(skipReasonSchema.parse(reason)).toBe(reason);
      expect(description.length).toBeGreaterThan(20);
    }
    expect(skipReasonSchema.safeParse('changed').success).toBe(false);
  });
});
