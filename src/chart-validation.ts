import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { upstreamVersionsOf } from './upstream-versions-of';
import { SchemaValidator } from './validation/schema-validator';
import { UpstreamVersions } from './validation/upstream-versions';

/** Every construct's own validation below `scope`, each message starting with its path. */
export function validateConstructs(scope: IConstruct): string[] {
  const errors: string[] = [];
  for (const construct of scope.node.findAll()) {
    for (const error of construct.node.validate()) {
      errors.push(error.startsWith(construct.node.path) ? error : `${construct.node.path}: ${error}`);
    }
  }
  return errors;
}

/** The chart's own objects (not those of nested charts), dependencies first. */
export function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c: IConstruct): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}

/** Validates each object against the schemas of the releases it is written for. */
export function validateByUpstreamVersions(objects: Array<{ object: ApiObject; json: any }>): string[] {
  const groups = new Map<UpstreamVersions, any[]>();
  for (const { object, json } of objects) {
    const versions = upstreamVersionsOf(object);
    const group = groups.get(versions) ?? [];
    group.push(json);
    groups.set(versions, group);
  }
  return [...groups].flatMap(([versions, manifests]) => new SchemaValidator({ versions }).validate(manifests));
}

/**
 * The same object written twice — e.g. by two clusters sharing a namespace — would be applied
 * twice, the second copy silently winning: an error naming both places.
 */
export function duplicateObjects(charts: Array<{ folder: string; manifests: any[] }>): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const chart of charts) {
    for (const manifest of chart.manifests) {
      const group = String(manifest.apiVersion).includes('/') ? String(manifest.apiVersion).split('/')[0] : 'core';
      const id = `${manifest.kind}/${manifest.metadata?.namespace ? `${manifest.metadata.namespace}/` : ''}${manifest.metadata?.name}`;
      const first = seen.get(`${group} ${id}`);
      if (first !== undefined) {
        problems.push(`${chart.folder}: ${id} is also written by ${first}: give the objects distinct names (two clusters sharing a namespace: name their add-ons apart; a namespace a Tenant or class creates: give its clusters createNamespace: false)`);
      } else {
        seen.set(`${group} ${id}`, chart.folder);
      }
    }
  }
  return problems;
}
