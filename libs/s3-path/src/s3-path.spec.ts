import { x } from './s3-path';
test('x', () => expect(x).toBe(1));
