// TCP ports: the one definition of a valid port and the words that say so (Node built-ins only).

/** What a port must be, for error messages. */
export const PORT_RANGE_TEXT = 'expected a port from 1 to 65535';

/** True when `value` is a whole number from 1 to 65535 (or 0 when `allowZero`). */
export function isValidPort(value: unknown, allowZero = false): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= (allowZero ? 0 : 1) && value <= 65535
  );
}
