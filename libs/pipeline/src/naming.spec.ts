import { batchJobName, batchResourceNames, parseBatchJobName, stageOfJobDefinition } from './naming';

describe('Batch naming', () => {
  it('follows the infrastructure convention for a prefix', () => {
    expect(batchResourceNames()).toEqual({
      jobQueue: 'wordbatch-queue',
      jobDefinitions: { plan: 'wordbatch-plan', migrate: 'wordbatch-migrate', merge: 'wordbatch-merge' },
      logGroup: '/aws/batch/wordbatch',
    });
    expect(batchResourceNames('wb-test').jobDefinitions.migrate).toBe('wb-test-migrate');
  });

  it('names jobs <run>-<stage> and reads them back', () => {
    expect(batchJobName('books-1', 'migrate')).toBe('books-1-migrate');
    expect(parseBatchJobName('books-1-migrate')).toEqual({ runName: 'books-1', stage: 'migrate' });
    expect(parseBatchJobName('books-1-retry2-merge')).toEqual({ runName: 'books-1-retry2', stage: 'merge' });
    expect(parseBatchJobName('something-else')).toBeUndefined();
  });

  it('refuses job names SubmitJob would refuse', () => {
    expect(batchJobName('x'.repeat(120), 'plan')).toHaveLength(125);
    expect(() => batchJobName('x'.repeat(121), 'migrate')).toThrow(/at most 128/);
    expect(() => batchJobName('-lead', 'plan')).toThrow(/starting with a letter or digit/);
    expect(() => batchJobName('a.b', 'plan')).toThrow(/letters, digits/);
  });

  it('finds the stage of a job definition by name, name:revision or ARN', () => {
    expect(stageOfJobDefinition('wordbatch-plan')).toBe('plan');
    expect(stageOfJobDefinition('wordbatch-merge:7')).toBe('merge');
    expect(stageOfJobDefinition('arn:aws:batch:eu-west-1:123456789012:job-definition/wb-migrate:3')).toBe('migrate');
    expect(stageOfJobDefinition('my-own-definition')).toBeUndefined();
  });
});
