import type { StageInvocation } from './describe';
import type { StageName } from './stages';

/**
 * The stages in an order where each comes after the stages it depends on. A dependency on
 * a stage the run does not contain is outside the run (an earlier job) and orders nothing.
 */
export function stagesInDependencyOrder(stages: readonly StageInvocation[]): StageInvocation[] {
  const inRun = new Set(stages.map((stage) => stage.stage));
  const ordered: StageInvocation[] = [];
  const placed = new Set<StageName>();
  while (ordered.length < stages.length) {
    const ready = stages.filter(
      (stage) => !placed.has(stage.stage) && stage.dependsOn.every((name) => placed.has(name) || !inRun.has(name)),
    );
    if (ready.length === 0) throw new RangeError('pipeline stages depend on each other in a cycle');
    for (const stage of ready) {
      ordered.push(stage);
      placed.add(stage.stage);
    }
  }
  return ordered;
}
