// The systemd user manager's cheapest test: without XDG_RUNTIME_DIR or DBUS_SESSION_BUS_ADDRESS, none is reachable.

/** The probe's answer when no user manager can be reached from this environment, or null when one may be. */
export function findNoUserManager(env: NodeJS.ProcessEnv = process.env): { ok: false; why: string } | null {
  if (env.XDG_RUNTIME_DIR || env.DBUS_SESSION_BUS_ADDRESS) return null;
  return {
    ok: false,
    why: 'no systemd user manager reachable (neither XDG_RUNTIME_DIR nor DBUS_SESSION_BUS_ADDRESS is set)',
  };
}
