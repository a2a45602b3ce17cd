/**
 * TLS material like a real API server's: a self-signed CA and a serving certificate it signs,
 * with SANs 127.0.0.1, ::1, localhost and the in-cluster service names. Generated with
 * node-forge, or reused from (and written to) a directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TlsMaterial {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

const FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key' } as const;

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  // Node's native generator is much faster than forge's pure-JS one.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const priv = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { privateKey: priv, publicKey: pub, pem: privateKey };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive
  bytes[0] |= 0x01; // no leading zero byte
  return bytes.toString('hex');
}

export function generateTls(): TlsMaterial {
  const now = Date.now();
  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  caCert.validity.notAfter = new Date(now + 10 * 365 * 24 * 60 * 60 * 1000);
  const caSubject = [{ name: 'commonName', value: 'kubecopilot-demo-ca' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 2 * 365 * 24 * 60 * 60 * 1000);
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes' },
        { type: 2, value: 'kubernetes.default' },
        { type: 2, value: 'kubernetes.default.svc' },
        { type: 2, value: 'kubernetes.default.svc.cluster.local' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
        { type: 7, ip: '10.96.0.1' },
      ],
    },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  return {
    caCert: forge.pki.certificateToPem(caCert),
    caKey: ca.pem,
    cert: forge.pki.certificateToPem(cert),
    key: server.pem,
  };
}

/** Reuses the four files in `dir` when all exist, else generates them and writes them there. */
export function loadOrCreateTls(dir?: string): TlsMaterial {
  if (!dir) return generateTls();
  const paths = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, path.join(dir, f)])) as Record<keyof TlsMaterial, string>;
  if (Object.values(paths).every(p => fs.existsSync(p))) {
    const material = Object.fromEntries(
      Object.entries(paths).map(([k, p]) => [k, fs.readFileSync(p, 'utf8')]),
    ) as unknown as TlsMaterial;
    // fail early on unreadable material
    forge.pki.certificateFromPem(material.caCert);
    forge.pki.certificateFromPem(material.cert);
    return material;
  }
  const material = generateTls();
  fs.mkdirSync(dir, { recursive: true });
  for (const [k, p] of Object.entries(paths)) {
    const isKey = k === 'caKey' || k === 'key';
    fs.writeFileSync(p, material[k as keyof TlsMaterial], { mode: isKey ? 0o600 : 0o644 });
  }
  return material;
}
