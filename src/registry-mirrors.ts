import { KubeadmFileModel } from './capi-api/models';
import { InputErrors } from './input-errors';

/** A registry whose images containerd pulls through a mirror (or a pull-through cache). */
export interface RegistryMirror {
  /** The registry, as in image names: `docker.io`, `registry.k8s.io`, `quay.io`... */
  readonly registry: string;
  /** The mirror's URL, `https://...`. */
  readonly mirrorUrl: string;
  /**
   * The PEM bundle of the CA that signed the mirror's certificate, when it is a private one.
   * @default - the node's trusted CAs
   */
  readonly caCertificate?: string;
}

/**
 * containerd's per-registry configuration files (`/etc/containerd/certs.d/<registry>/hosts.toml`,
 * containerd docs, "Registry Configuration"), which image-builder's containerd reads
 * (`config_path = "/etc/containerd/certs.d"`): every image of that registry, the add-ons'
 * included, is pulled through the mirror, and from the registry itself if the mirror fails.
 */
export function registryMirrorFiles(errors: InputErrors, prop: string, mirrors: RegistryMirror[] | undefined): KubeadmFileModel[] {
  if (mirrors === undefined) return [];
  if (!errors.checkList(prop, mirrors, m => typeof m === 'object' && m !== null, 'registry mirrors ({ registry, mirrorUrl })')) return [];
  const files: KubeadmFileModel[] = [];
  const seen = new Set<string>();
  mirrors.forEach((mirror, i) => {
    const at = `${prop}[${i}]`;
    if (!errors.checkPropNames(at, mirror, ['registry', 'mirrorUrl', 'caCertificate'])) return;
    const validRegistry = typeof mirror.registry === 'string' && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$/.test(mirror.registry);
    errors.check(validRegistry, `${at}.registry`, mirror.registry, 'must be a registry host, e.g. "docker.io"');
    errors.check(!seen.has(mirror.registry), `${at}.registry`, mirror.registry, 'has a mirror already');
    seen.add(mirror.registry);
    errors.check(typeof mirror.mirrorUrl === 'string' && /^https?:\/\/[^\s"]+$/.test(mirror.mirrorUrl), `${at}.mirrorUrl`, mirror.mirrorUrl,
      'must be an http(s) URL');
    if (mirror.caCertificate !== undefined) {
      errors.check(/-----BEGIN CERTIFICATE-----/.test(mirror.caCertificate) && !/PRIVATE KEY/.test(mirror.caCertificate), `${at}.caCertificate`,
        '<certificate>', 'must be PEM certificates only');
    }
    const dir = `/etc/containerd/certs.d/${mirror.registry}`;
    // docker.io's own endpoint is registry-1.docker.io (containerd docs, "Registry Configuration").
    const upstream = mirror.registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${mirror.registry}`;
    const host = [
      `server = "${upstream}"`,
      '',
      `[host."${mirror.mirrorUrl}"]`,
      '  capabilities = ["pull", "resolve"]',
      ...(mirror.caCertificate ? [`  ca = "${dir}/ca.crt"`] : []),
    ].join('\n') + '\n';
    files.push({ path: `${dir}/hosts.toml`, content: host });
    if (mirror.caCertificate) files.push({ path: `${dir}/ca.crt`, content: mirror.caCertificate });
  });
  return files;
}
