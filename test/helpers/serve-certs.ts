/** Throwaway X.509 certificates for the TLS tests, made with the `openssl` command line (OpenSSL 3). */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.ts';

export interface Pem {
  cert: Buffer;
  key: Buffer;
}

export interface TestPki {
  dir: string;
  ca: Buffer;
  server: Pem;
  /** Issues a client certificate with the given subjectAltName (e.g. `URI:spiffe://td/ns/a/sa/b`), or none. */
  client(name: string, san: string | null): Pem;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makePki(): TestPki {
  const dir = tempDir('meshc-pki-');
  const key = (name: string): void => openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
  key('ca');
  openssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=meshc test CA', '-days', '2', '-out', 'ca.crt']);
  const issue = (name: string, subject: string, san: string | null, usage: string): Pem => {
    key(name);
    openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
    const ext = [`extendedKeyUsage=${usage}`, 'basicConstraints=CA:FALSE', ...(san ? [`subjectAltName=${san}`] : [])].join('\n');
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
    return { cert: readFileSync(join(dir, `${name}.crt`)), key: readFileSync(join(dir, `${name}.key`)) };
  };
  const server = issue('server', '/CN=meshc serve', 'IP:127.0.0.1,DNS:localhost', 'serverAuth');
  return {
    dir,
    ca: readFileSync(join(dir, 'ca.crt')),
    server,
    client: (name, san) => issue(name, `/CN=${name}`, san, 'clientAuth'),
  };
}
