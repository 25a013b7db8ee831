// jest recipe: stop every server global-setup.js started.
export default async function globalTeardown() {
  await Promise.all((globalThis.quickdbServers ?? []).map((s) => s.stop()));
}
