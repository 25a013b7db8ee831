// Logging in to a PostgreSQL instance with a pg client config: 'connected', or the server's refusal.
import pg from 'pg';

// Connect and disconnect; the error message when the login is refused.
export async function tryPgLogin(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  return client.connect().then(
    async () => {
      await client.end();
      return 'connected';
    },
    (e: Error) => e.message,
  );
}
