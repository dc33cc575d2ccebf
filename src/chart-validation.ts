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

