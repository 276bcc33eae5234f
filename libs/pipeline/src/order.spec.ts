import { describePipeline, type StageInvocation } from './describe';
import { stagesInDependencyOrder } from './order';

describe('stagesInDependencyOrder', () => {
  const stage = (name: StageInvocation['stage'], dependsOn: StageInvocation['stage'][]): StageInvocation => ({ stage: name, args: [], arraySize: 1, dependsOn });

  it('puts every stage after the ones it waits for', () => {
    const run = describePipeline({ source: { bucket: 'src', key: 'a/' }, destination: { bucket: 'dst', key: 'out/' }, shards: 2, name: 'r' });
    const reversed = [...run.stages].reverse();
    expect(stagesInDependencyOrder(reversed).map((invocation) => invocation.stage)).toEqual(['plan', 'migrate', 'merge']);
  });

  it('ignores dependencies outside the run and refuses cycles', () => {
    expect(stagesInDependencyOrder([stage('merge', ['migrate'])]).map((invocation) => invocation.stage)).toEqual(['merge']);
    expect(() => stagesInDependencyOrder([stage('plan', ['merge']), stage('merge', ['plan'])])).toThrow(/cycle/);
  });
});
