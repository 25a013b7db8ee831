// What each engine can do, as the registry says: per-test databases (so a shared server can serve every worker), and
// how the CLI names and describes the engines.
export {
  describeDriverChoices,
  describePerTestEngines,
  hasPerTestDatabases,
  runsGivenArgv,
} from '../drivers/capabilities.js';
export { DEFAULT_DRIVER, describeEnvFamily, isDriverName } from '../drivers/registry.js';
