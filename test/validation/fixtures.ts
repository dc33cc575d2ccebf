import { Testing } from 'cdk8s';
import { CapiUbuntuOpenStack } from '../../examples/capi-ubuntu-openstack/cluster';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';

/** One validator per pinned version pair, shared by the tests of a file. */
export const VALIDATORS = UpstreamVersions.all().map(versions => new SchemaValidator({ versions }));

let example: any[] | undefined;

/** The objects of the library's example (a copy each call: tests may corrupt it). */
export function exampleManifests(): any[] {
  if (!example) example = new CapiUbuntuOpenStack(Testing.app(), 'x').toJson();
  return structuredClone(example);
}

/** The first object of that kind in the list. */
export function findKind(manifests: any[], kind: string): any {
  const found = manifests.find(m => m.kind === kind);
  if (!found) throw new Error(`no ${kind} in the manifests`);
  return found;
}
