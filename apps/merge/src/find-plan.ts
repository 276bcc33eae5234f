import { forEachConcurrent } from '@wordbatch/concurrency';
import { InputChangedError, UsageError } from '@wordbatch/errors';
import { readPlanCopy, readPlanHeader } from '@wordbatch/plan-io';
import { PLAN_COPY_NAME, type PlanHeader } from '@wordbatch/plan-schema';
import { asFolder, formatS3Path, type S3Path } from '@wordbatch/s3-path';
import type { ObjectStore } from '@wordbatch/s3-store';

/**
 * The plan whose results merge combines: the one named by --plan, or else the only plan
 * that has written its copy (`<plan id>/plan.json`) under the results folder.
 */
export async function findPlan(
  store: ObjectStore,
  source: S3Path,
  plan: S3Path | undefined,
  signal: AbortSignal,
): Promise<PlanHeader> {
  const folder = asFolder(source);
  if (plan !== undefined) {
    const header = await readPlanHeader(store, plan, signal);
    if (formatS3Path(folder) !== formatS3Path(asFolder(header.destination))) {
      throw new UsageError(
        `--plan ${formatS3Path(plan)} writes its results to ${formatS3Path(header.destination)}, not to --source ${formatS3Path(folder)}`,
      );
    }
    return header;
  }
  const copies: S3Path[] = [];
  await forEachConcurrent(
    await store.listFolders(folder, signal),
    8,
    async (subfolder) => {
      const copy = { bucket: folder.bucket, key: `${subfolder}${PLAN_COPY_NAME}` };
      for await (const object of store.list(copy, signal)) {
        if (object.key === copy.key) copies.push(copy);
      }
    },
    signal,
  );
  if (copies.length === 0) {
    throw new InputChangedError(`no wordbatch plan under ${formatS3Path(folder)}: run plan and migrate first`);
  }
  if (copies.length > 1) {
    const ids = copies.map((copy) => copy.key.slice(folder.key.length, -PLAN_COPY_NAME.length - 1)).sort();
    throw new UsageError(`several plans under ${formatS3Path(folder)} (${ids.join(', ')}): pass --plan to choose one`);
  }
  return readPlanCopy(store, copies[0], signal);
}
