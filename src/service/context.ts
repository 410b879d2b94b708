import type { ServerClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import type { GenerationCache } from './generation-cache.js';

/** What every use case works with. */
export interface ServiceContext {
  store: Store;
  clock: ServerClock;
  config: Readonly<Config>;
  cache: GenerationCache;
}
