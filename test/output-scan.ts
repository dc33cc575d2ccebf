import { parseAllDocuments } from 'yaml';

/**
 * Reads synthesized output the way a reviewer of a GitOps repository would: every object,
 * including those carried inside ClusterResourceSet ConfigMaps and Secrets, decoded.
 */
export function allObjects(manifests: any[]): any[] {
  const found: any[] = [];
  const visit = (object: any) => {
    if (!object || typeof object !== 'object') return;
    found.push(object);
    const carried = object.kind === 'ConfigMap' ? Object.values(object.data ?? {})
      : object.kind === 'Secret' ? Object.values(object.data ?? {}).map(v => Buffer.from(String(v), 'base64').toString('utf8'))
        .concat(Object.values(object.stringData ?? {}) as string[]) : [];
    for (const text of carried) {
      for (const doc of parseAllDocuments(String(text))) {
        const value = doc.errors.length === 0 ? doc.toJSON() : undefined;
        if (value && typeof value === 'object' && 'kind' in value && 'apiVersion' in value) visit(value);
      }
    }
  };
  manifests.forEach(visit);
  return found;
}

/** Text that looks like credential material, with what it looked like. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['a clouds.yaml password', /\bpassword\s*[:=]\s*["']?[^\s"'{}<>]{3,}/i],
  ['an application credential secret', /application_credential_secret\s*[:=]\s*["']?[^\s"'{}<>]{3,}/i],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a kubeconfig token', /\btoken\s*:\s*["']?[A-Za-z0-9._-]{16,}/],
  ['a kubeconfig client key', /client-key-data\s*:\s*[A-Za-z0-9+/=]{16,}/],
];

/** Every place in the objects (and in base64-decoded Secret data) that looks like a credential. */
export function findSecretMaterial(manifests: any[]): string[] {
  const findings: string[] = [];
  for (const object of allObjects(manifests)) {
    const texts = [JSON.stringify(object)];
    if (object.kind === 'Secret') {
      texts.push(...Object.values(object.data ?? {}).map(v => Buffer.from(String(v), 'base64').toString('utf8')));
    }
    for (const text of texts) {
      for (const [what, pattern] of SECRET_PATTERNS) {
        if (pattern.test(text)) findings.push(`${object.kind}/${object.metadata?.name}: ${what}`);
      }
    }
  }
  return findings;
}

/** Every container image in the objects, with its pull policy. */
export function findImages(manifests: any[]): Array<{ where: string; image: string; pullPolicy?: string }> {
  const images: Array<{ where: string; image: string; pullPolicy?: string }> = [];
  for (const object of allObjects(manifests)) {
    const visit = (node: any) => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      if (typeof node.image === 'string' && typeof node.name === 'string') {
        images.push({ where: `${object.kind}/${object.metadata?.name} container ${node.name}`, image: node.image, pullPolicy: node.imagePullPolicy });
      }
      Object.values(node).forEach(visit);
    };
    visit(object.spec);
  }
  return images;
}

/** Why an image reference is not pinned, or undefined when it is (a version tag or a digest). */
export function unpinnedReason(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop()! : undefined;
  if (!tag) return 'no tag (means :latest)';
  if (tag === 'latest') return 'tagged :latest';
  if (!/\d/.test(tag)) return `tag "${tag}" is not a version`;
  return undefined;
}
