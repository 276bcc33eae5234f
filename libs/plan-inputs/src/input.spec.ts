import { inputFlag, inputUri, type PlanInput } from './input';

describe('inputFlag and inputUri', () => {
  it.each<[PlanInput, string, string]>([
    [{ kind: 'prefix', source: { bucket: 'b', key: 'logs/' } }, '--source', 's3://b/logs/'],
    [{ kind: 'manifest', manifest: { bucket: 'inv', key: 'm/manifest.json' } }, '--manifest', 's3://inv/m/manifest.json'],
    [{ kind: 'keys', list: { bucket: 'l', key: 'list.txt' }, source: { bucket: 'b', key: 'logs/' } }, '--keys', 's3://l/list.txt'],
  ])('name the flag and the object of a %j input', (input, flag, uri) => {
    expect([inputFlag(input), inputUri(input)]).toEqual([flag, uri]);
  });
});
