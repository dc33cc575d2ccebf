import { Testing } from 'cdk8s';
import { CapiUbuntuOpenStack } from '../../examples/capi-ubuntu-openstack/cluster';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';

/** One validator per pinned version pair, shared by the tests of a file. */
export const VALIDATORS = UpstreamVersions.all().map(versions => new SchemaValidator({ versions }));

const examples = new Map<UpstreamVersions, any[]>();

/**
 * The objects of the library's example, written for a pair (default: the default pair, whose
 * Cluster API objects are v1beta2), a copy each call: tests may corrupt it.
 */
export function exampleManifests(upstreamVersions: UpstreamVersions = UpstreamVersions.DEFAULT): any[] {
  if (!examples.has(upstreamVersions)) examples.set(upstreamVersions, new CapiUbuntuOpenStack(Testing.app(), 'x', { upstreamVersions }).toJson());
  return structuredClone(examples.get(upstreamVersions)!);
}

/** The first object of that kind in the list. */
export function findKind(manifests: any[], kind: string): any {
  const found = manifests.find(m => m.kind === kind);
  if (!found) throw new Error(`no ${kind} in the manifests`);
  return found;
}
