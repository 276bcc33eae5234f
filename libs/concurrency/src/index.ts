export { forEachConcurrent } from './for-each-concurrent';
