import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * An object of a kind generated from a pinned CRD, written as given. Its props are typed by the
 * generated `<Kind>Props`, but the object is a plain ApiObject: a generated class re-maps its
 * output to the fields it knows, silently dropping a field that an escape hatch
 * (`ApiObject.of(o).addJsonPatch(...)`) adds, such as one of a newer CRD than the class was
 * generated from (cdk8s-team/cdk8s#2172).
 */
export function typedObject<P extends { readonly metadata?: ApiObjectMetadata }>(
  scope: Construct, id: string, gvk: GroupVersionKind, props: P): ApiObject {
  return new ApiObject(scope, id, { ...gvk, ...props });
}

/**
 * An int-or-string field's value, as written. The generated wrapper classes (e.g.
 * `MachineHealthCheckSpecMaxUnhealthy`) unwrap only in the generated `toJson`, which a typed
 * object does not use: the raw number or string goes in, cast to the wrapper's type.
 */
export function intOrString<T>(value: number | string | undefined): T {
  return value as unknown as T;
}
