import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { canonicalJson, shortHash } from './canonical-json';
import { rendererFor } from './capi-api';
import { NodeConfigModel, NodeRegistrationModel } from './capi-api/models';
import { ICapiCluster } from './cluster-contract';
import { kubeletNodeRegistration } from './kubelet-registration';
import { nameTemplate, templateMetadata } from './template-names';

/** The bootstrap templates of each cluster, by the canonical JSON of their node registration. */
const templatesByCluster = new WeakMap<ICapiCluster, Map<string, ApiObject>>();

/**
 * The KubeadmConfigTemplate for worker nodes of a cluster that register alike: pools that
 * register alike share one, `<cluster>-config-template-<hash>`, created under the first pool
 * that needs it. Without hashing, a registration other than the default is named after that pool.
 */
export function bootstrapTemplateFor(pool: Construct, cluster: ICapiCluster, poolName: string,
  nodeRegistration: NodeRegistrationModel, nodeConfig?: NodeConfigModel): ApiObject {
  const templates = templatesByCluster.get(cluster) ?? new Map<string, ApiObject>();
  templatesByCluster.set(cluster, templates);
  const key = canonicalJson({ nodeRegistration, nodeConfig });
  const existing = templates.get(key);
  if (existing) return existing;

  const isDefault = key === canonicalJson({ nodeRegistration: kubeletNodeRegistration({ nodeName: cluster.nodeName }) });
  // With hashing, the hash tells templates apart: a name that depended on the first pool using
  // a template would change when that pool goes, and roll the other pools' machines for nothing.
  const baseName = isDefault || cluster.templateHashing ? `${cluster.name}-config-template` : `${cluster.name}-${poolName}-config-template`;
  // The id of the first template of a registration stays as it was before nodeConfig existed.
  const id = `KubeadmConfigTemplate-${baseName}${cluster.templateHashing ? `-${shortHash(nodeConfig ? { nodeRegistration, nodeConfig } : nodeRegistration)}` : ''}`;
  const template = rendererFor(cluster.upstreamVersions).kubeadmConfigTemplate(pool, id, {
    metadata: templateMetadata(cluster, baseName),
    nodeRegistration,
    nodeConfig,
  });
  templates.set(key, nameTemplate(cluster, template, baseName));
  return template;
}
