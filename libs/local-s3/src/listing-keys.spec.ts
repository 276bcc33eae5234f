import { compareKeys } from '@wordbatch/s3-path';
import { flatKeys, generatedKeys } from './listing-keys';

describe('made-up listing keys', () => {
  it.each([
    ['flat', flatKeys(250_000, { prefix: 'logs/' })],
    ['flat, fewer keys than seconds in a day', flatKeys(1_000, { prefix: 'logs/' })],
    ['in folders', generatedKeys(250_000, { prefix: 'data/' })],
  ])('%s: in strictly increasing S3 key order, as the listing server needs', (_, keys) => {
    for (let index = 1; index < keys.count; index++) {
      if (compareKeys(keys.keyAt(index - 1), keys.keyAt(index)) >= 0) throw new Error(`${keys.keyAt(index - 1)} is not below ${keys.keyAt(index)}`);
    }
  });

  it('flat keys: no folder below the prefix, spread over a day as access logs are', () => {
    const keys = flatKeys(1_000_000, { prefix: 'logs/' });
    expect(keys.keyAt(0)).toMatch(/^logs\/2026-11-30-00-00-00-0{8}[0-9A-F]{8}$/);
    expect(keys.keyAt(keys.count - 1)).toMatch(/^logs\/2026-11-30-23-59-59-[0-9A-F]{16}$/);
    expect(keys.keyAt(keys.count / 2)).toMatch(/^logs\/2026-11-30-12-00-00-/);
    for (let index = 0; index < keys.count; index += 997) expect(keys.keyAt(index).slice('logs/'.length)).not.toContain('/');
  });
});
