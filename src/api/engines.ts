// What each engine can do, as the registry says: per-test databases (so a shared server can serve every worker).
export { hasDatabaseAdmin } from '../drivers/admins.js';
