import { RequestSigner } from './sigv4';

// The "get-vanilla" and "get-vanilla-with-session-token"-style cases of AWS's published
// Signature Version 4 test suite: the example credentials, date and expected signature.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = new Date('2015-08-30T12:36:00Z');

describe('RequestSigner', () => {
  it("matches AWS's get-vanilla example", () => {
    const headers = new RequestSigner({ region: 'us-east-1', service: 'service' }).sign(
      { method: 'GET', path: '/', headers: { host: 'example.amazonaws.com' } },
      credentials,
      now,
    );
    expect(headers).toEqual({
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
  });

  it('derives a new key when the day or the secret changes', () => {
    const request = { method: 'GET', path: '/a%20b', headers: { host: 'h', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
    const reused = new RequestSigner({ region: 'eu-west-1', service: 's3' });
    const fresh = () => new RequestSigner({ region: 'eu-west-1', service: 's3' });
    const nextDay = new Date('2015-08-31T00:00:01Z');
    const rotated = { ...credentials, secretAccessKey: 'another-secret', sessionToken: 'token' };
    reused.sign(request, credentials, now);
    expect(reused.sign(request, credentials, nextDay)).toEqual(fresh().sign(request, credentials, nextDay));
    expect(reused.sign(request, rotated, nextDay)).toEqual(fresh().sign(request, rotated, nextDay));
    expect(reused.sign(request, rotated, nextDay)['x-amz-security-token']).toBe('token');
    expect(reused.sign(request, rotated, nextDay).authorization).not.toEqual(reused.sign(request, credentials, nextDay).authorization);
  });
});
