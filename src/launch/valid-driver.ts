// The driver of an instance, loaded and checked against the options before anything is created, with the slice of
// the options it reads: built once, the one it was checked on is the one it plans with.
import { loadDriver } from '../drivers/registry.js';
import type { Driver, DriverOptions } from '../drivers/types.js';
import type { NormalizedOptions } from './options/normalize.js';

/** A driver checked against the options, and the slice of them it was checked on (built once, planned with). */
export interface ValidDriver {
  driver: Driver;
  options: DriverOptions;
}

// The slice of the options a driver reads: the engine settings plus argv, env, stop signals and readiness.
function sliceDriverOptions(options: NormalizedOptions): DriverOptions {
  const { file, port, log } = options.ready;
  return {
    ...options.engine,
    args: [...options.args],
    env: { ...options.env },
    stopSignal: options.stopSignal,
    fastStopSignal: options.fastStopSignal,
    ready: {
      ...(file !== undefined ? { file } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(log !== undefined ? { log } : {}),
    },
  };
}

// Load and validate the driver for the options (before anything is created).
export async function loadValidDriver(options: NormalizedOptions): Promise<ValidDriver> {
  const driver = await loadDriver(options.driver);
  const driverOptions = sliceDriverOptions(options);
  driver.validate(driverOptions);
  return { driver, options: driverOptions };
}
