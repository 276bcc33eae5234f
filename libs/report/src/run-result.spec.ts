import { parseRunResult, RunResultError } from './run-result';
import { sampleResult } from './sample-run.spec-helper';

describe('parseRunResult', () => {
  it.each<[string, unknown, string]>([
    ['a missing field', { ...sampleResult, planId: undefined }, 'result.json: field "planId" is missing'],
    // A field of the wrong type is not a missing one.
    ['a field of the wrong type', { ...sampleResult, planId: 7 }, 'result.json: field "planId" invalid input: expected string, received number'],
    ['not an object', [], 'result.json: field "(document)" invalid input: expected object, received array'],
  ])('names the field of %s', (_case, document, message) => {
    expect(() => parseRunResult(JSON.stringify(document), 'result.json')).toThrow(RunResultError);
    expect(() => parseRunResult(JSON.stringify(document), 'result.json')).toThrow(message);
  });
});
