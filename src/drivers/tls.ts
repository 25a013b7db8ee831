// `--tls`: a certificate made for one instance (CN localhost, for localhost and 127.0.0.1, valid a week), its key
// made in Node and written as every secret of ours (exclusive create, no follow, 0600, owned by the server's user),
// signed by the system `openssl`; and what a client needs to verify it.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { QuickdbError } from '../errors.js';
import { writePrivateFile } from './network.js';
import { chownTree, type ServiceUser } from './service-user.js';

/** An instance's TLS files: the certificate clients verify against (it is its own CA) and the server's key. */
export interface TlsFiles {
  cert: string;
  key: string;
}

// The self-signed certificate for `key`, from openssl on stdout.
async function signCertificate(keyPath: string): Promise<string> {
  const { execa } = await import('execa');
  const args = ['req', '-x509', '-new', '-key', keyPath, '-days', '7', '-subj', '/CN=localhost'];
  args.push(
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
  );
  // reject: false resolves with the failure too (openssl missing included), said below with what to install.
  const result = await execa('openssl', args, { reject: false, all: true });
  if (result.exitCode !== 0 || !String(result.stdout).includes('BEGIN CERTIFICATE'))
    throw new QuickdbError('making the TLS certificate failed: `openssl req -x509` did not run', {
      details: `${(result.all || result.message || '').trim()}\nInstall OpenSSL (\`apt-get install openssl\`), or leave out tls.`,
    });
  return String(result.stdout);
}

// Make `<stateDir>/tls/` (0700, the server's user's) with the key and the certificate.
export async function makeTlsFiles(stateDir: string, user: ServiceUser | null): Promise<TlsFiles> {
  const dir = join(stateDir, 'tls');
  mkdirSync(dir, { mode: 0o700 });
  chownTree(dir, user);
  const key = join(dir, 'server.key');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writePrivateFile(key, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), user);
  const cert = join(dir, 'server.crt');
  writePrivateFile(cert, await signCertificate(key), user);
  return { cert, key };
}
