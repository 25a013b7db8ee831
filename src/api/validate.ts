// The checks of option values as the library makes them, for a caller that reads its own flags (ports, durations,
// counts) and names them in its own words.
export {
  type NormalizedOptions,
  normalizeOptions,
  POOL_MAX,
  validateCount,
  validateMs,
  validatePort,
} from '../launch/options/normalize.js';
