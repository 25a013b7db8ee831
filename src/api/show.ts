// What the records say, in words: the server an instance runs, what contains it, and a value quoted for a shell.
export { shellQuote } from '../generate/escape.js';
export { describeServer, nameServer } from '../launch/server-info.js';
export { formatContainment } from '../manage/containment.js';
export type { Status } from '../state/records/status.js';
