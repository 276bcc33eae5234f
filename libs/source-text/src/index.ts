export {
  assertCanDecompress,
  COMPRESSED_TEXT_EXPANSION,
  createDecompressor,
  detectCompression,
  expectedTextBytes,
  HEAD_BYTES,
} from './compression';
export type { CompressionFormat, CompressionHints } from './compression';
export { decompress, type ExpansionLimits } from './decompress';
export { openObjectText, type ObjectText, type ObjectTextOptions } from './object-text';
export { SourceText } from './source-text';
export { UncountableObjectError } from './uncountable';
