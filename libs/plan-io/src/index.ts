export { readPlanCopy, readPlanHeader, readShardList } from './plan-io';
