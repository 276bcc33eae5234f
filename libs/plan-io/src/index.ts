export { readPlanHeader, readShardList } from './plan-io';
