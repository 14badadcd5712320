export {
  countSynthetic,
  generateSynthetic,
  removeSynthetic,
  SYNTHETIC_UPLOAD_KIND,
  type SyntheticOptions,
  type SyntheticProgress,
  type SyntheticResult,
  type SyntheticTestHooks,
} from './generate';
