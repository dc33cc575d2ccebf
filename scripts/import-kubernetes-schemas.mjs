#!/usr/bin/env node
/**
 * Writes imports/kubernetes/<version>/schemas.json: structural schemas of the Kubernetes kinds the
 * validator checks, generated from the models of @kubernetes/client-node (official client, itself
 * generated from the Kubernetes OpenAPI spec of the version it names).
 *
 * Usage: `npx projen import:kubernetes` (the package is a pinned dev dependency: 1.1.2 is the
 * release whose models are generated from Kubernetes v1.32.0). CI runs it and fails if the
 * committed file differs.
 *
 * The models give each field's JSON name, type and format (`attributeTypeMap`); whether a field is
 * required comes from the model's declaration file (`'name': string;` vs `'args'?: ...`). Enums are
 * not in the models, so the output has none.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@kubernetes/client-node';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** apiVersion/kind → model class, for the kinds checked (resources users put in manifests). */
const KINDS = {
  'v1/ConfigMap': 'V1ConfigMap',
  'v1/Secret': 'V1Secret',
  'v1/Namespace': 'V1Namespace',
  'v1/ServiceAccount': 'V1ServiceAccount',
  'v1/Service': 'V1Service',
  'v1/Pod': 'V1Pod',
  'v1/PersistentVolumeClaim': 'V1PersistentVolumeClaim',
  'v1/PersistentVolume': 'V1PersistentVolume',
  'v1/LimitRange': 'V1LimitRange',
  'v1/ResourceQuota': 'V1ResourceQuota',
  'v1/Endpoints': 'V1Endpoints',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/DaemonSet': 'V1DaemonSet',
  'apps/v1/StatefulSet': 'V1StatefulSet',
  'apps/v1/ReplicaSet': 'V1ReplicaSet',
  'batch/v1/Job': 'V1Job',
  'batch/v1/CronJob': 'V1CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'V1ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'V1ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget': 'V1PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'networking.k8s.io/v1/Ingress': 'V1Ingress',
  'networking.k8s.io/v1/IngressClass': 'V1IngressClass',
  'storage.k8s.io/v1/StorageClass': 'V1StorageClass',
  'storage.k8s.io/v1/CSIDriver': 'V1CSIDriver',
  'scheduling.k8s.io/v1/PriorityClass': 'V1PriorityClass',
  'coordination.k8s.io/v1/Lease': 'V1Lease',
  'autoscaling/v1/HorizontalPodAutoscaler': 'V1HorizontalPodAutoscaler',
  'autoscaling/v2/HorizontalPodAutoscaler': 'V2HorizontalPodAutoscaler',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': 'V1ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': 'V1MutatingWebhookConfiguration',
  'apiextensions.k8s.io/v1/CustomResourceDefinition': 'V1CustomResourceDefinition',
};

/** Fields of type Quantity: the models say string, the API server also takes numbers. */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'hard', 'capacity', 'allocatable', 'min', 'max', 'default', 'defaultRequest', 'maxLimitRequestRatio']);
const QUANTITY_FIELDS = new Set(['sizeLimit', 'storage']);

const requireFromRoot = createRequire(path.join(root, 'package.json'));
const packageJsonPath = requireFromRoot.resolve(`${PACKAGE}/package.json`);
const packageDir = path.dirname(packageJsonPath);
const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
const models = await import(requireFromRoot.resolve(PACKAGE));
const modelsDir = path.join(packageDir, 'dist', 'gen', 'models');

const specVersion = /OpenAPI spec version: (v[0-9.]+)/.exec(fs.readFileSync(path.join(modelsDir, 'V1ConfigMap.js'), 'utf8'))[1];

function requiredFields(model) {
  const declaration = fs.readFileSync(path.join(modelsDir, `${model}.d.ts`), 'utf8');
  return [...declaration.matchAll(/^\s+'([^']+)': /gm)].map(m => m[1]);
}

const definitions = {};

function typeSchema(type, format, field) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1], '', field) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    const values = QUANTITY_MAPS.has(field) && map[1] === 'string' ? quantity() : typeSchema(map[1], format, field);
    return { type: 'object', additionalProperties: values };
  }
  switch (type) {
    case 'string': return QUANTITY_FIELDS.has(field) ? quantity() : withFormat({ type: 'string' }, format);
    case 'boolean': return { type: 'boolean' };
    case 'number': return withFormat({ type: format === 'double' || format === '' ? 'number' : 'integer' }, format);
    case 'Date':
    case 'V1MicroTime': return withFormat({ type: 'string' }, format || 'date-time');
    case 'IntOrString': return { 'x-kubernetes-int-or-string': true };
    case 'any': return { 'x-kubernetes-preserve-unknown-fields': true };
    default:
      define(type);
      return { $ref: type };
  }
}

function quantity() {
  return { 'x-kubernetes-int-or-string': true, 'format': 'quantity' };
}

function withFormat(schema, format) {
  return format ? { ...schema, format } : schema;
}

function define(model) {
  if (definitions[model]) return;
  const cls = models[model];
  if (!cls?.attributeTypeMap) throw new Error(`${PACKAGE} has no model ${model}`);
  const schema = { type: 'object', properties: {} };
  definitions[model] = schema;
  for (const attribute of cls.attributeTypeMap) {
    schema.properties[attribute.baseName] = typeSchema(attribute.type, attribute.format, attribute.baseName);
  }
  const required = requiredFields(model).map(name => cls.attributeTypeMap.find(a => a.name === name)?.baseName ?? name);
  if (required.length > 0) schema.required = required;
}

for (const model of Object.values(KINDS)) define(model);

const outDir = path.join(root, 'imports', 'kubernetes', specVersion);
fs.mkdirSync(outDir, { recursive: true });
const sorted = Object.fromEntries(Object.keys(definitions).sort().map(k => [k, definitions[k]]));
const output = JSON.stringify({ kinds: KINDS, definitions: sorted }, null, 1) + '\n';
fs.writeFileSync(path.join(outDir, 'schemas.json'), output);
fs.copyFileSync(path.join(packageDir, 'LICENSE'), path.join(outDir, 'LICENSE'));

const sha256 = file => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const gitBlob = file => execFileSync('git', ['hash-object', file], { encoding: 'utf8' }).trim();
const row = (file, origin) => `| ${path.basename(file)} | ${origin} | ${gitBlob(file)} | ${fs.statSync(file).size} | ${sha256(file)} |`;
fs.writeFileSync(path.join(outDir, 'PROVENANCE.md'), [
  `# Kubernetes ${specVersion} schemas`,
  '',
  `\`schemas.json\` is generated by \`scripts/import-kubernetes-schemas.mjs\` from the models of the npm package`,
  `\`${PACKAGE}@${packageJson.version}\` (${packageJson.license}, ${packageJson.repository?.url ?? packageJson.homepage}),`,
  `which are generated from the Kubernetes OpenAPI spec ${specVersion}. \`LICENSE\` is that package's license, unmodified.`,
  '',
  '| file | origin | git blob sha | bytes | sha256 |',
  '|---|---|---|---|---|',
  row(path.join(outDir, 'schemas.json'), `generated from ${PACKAGE}@${packageJson.version} dist/gen/models`),
  row(path.join(outDir, 'LICENSE'), `${PACKAGE}@${packageJson.version} LICENSE, unmodified`),
  '',
].join('\n'));
console.log(`wrote ${path.relative(root, outDir)}: ${Object.keys(KINDS).length} kinds, ${Object.keys(definitions).length} definitions`);
