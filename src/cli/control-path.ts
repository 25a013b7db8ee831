// The control path of `stop`, `kill` and `quiet` (api/control and all it loads up front) as one module: the build
// rebundles it in place (scripts/bundle-cli.mjs), so a `stop ID` reads one file instead of ~40 (issue 26).
export { controlInstance } from '../api/control.js';
