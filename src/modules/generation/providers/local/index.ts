export { createLocalProvider, type LocalProviderDeps } from './local.provider.ts';
export { createSegmenter, type Segmenter } from './segmenter.ts';
