// A free loopback port for `--port 0`, chosen where the kernel never hands out ports on its own: below its ephemeral
// range. A port the kernel picked (listen on 0) and we released is the very kind it gives the next outgoing connection
// or `listen(0)` of any process, which can take it before our server binds it; a port below that range can only
// be taken by a program that asks for it by number.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isPortTaken } from './port-holder.js';

/** The lowest port chosen: above the well-known and the most often configured ports. */
const LOWEST = 10_000;
/** Where the kernel's own choices begin when it does not say (IANA's dynamic range, as macOS and Windows use). */
const IANA_EPHEMERAL_START = 49_152;
/** How many random ports are tried before giving up on finding a free one. */
const TRIES = 64;

// The first port of the kernel's ephemeral range (Linux: net.ipv4.ip_local_port_range), else IANA's.
export function readEphemeralStart(): number {
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(first) && first > 0 && first <= 65_535 ? first : IANA_EPHEMERAL_START;
  } catch {
    return IANA_EPHEMERAL_START;
  }
}

// A port in [10000, ephemeral start) that is free on `host` now; null when that range is too small or all tried
// were taken (the caller then lets the kernel pick).
export async function pickPortBelowEphemeral(host: string): Promise<number | null> {
  const end = readEphemeralStart();
  if (end - LOWEST < 1000) return null;
  for (let i = 0; i < TRIES; i++) {
    const port = randomInt(LOWEST, end);
    if (!(await isPortTaken(port, host))) return port;
  }
  return null;
}
