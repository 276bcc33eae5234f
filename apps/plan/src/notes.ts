import { formatS3Path } from '@wordbatch/s3-path';
import type { PlanSummary } from './plan';

/**
 * What a person must not miss, as lines for stderr (stdout keeps the summary): a plan that names
 * no object at all. It is not an error (an empty folder has an empty count, and a scheduled run
 * over an empty day's prefix should not fail), but it is never silent; README "Empty inputs".
 */
export function formatPlanNotes(summary: PlanSummary): string {
  if (summary.header.totals.files > 0 || summary.missing > 0) return '';
  const where = summary.input ?? formatS3Path(summary.header.source);
  const why =
    summary.filteredOut > 0
      ? `none of the ${summary.filteredOut} objects under ${where} matched --include/--exclude`
      : summary.input === undefined
        ? `no objects under ${where}`
        : `${where} names no objects`;
  return `wordbatch plan: warning: ${why}: the run will count nothing\n`;
}
