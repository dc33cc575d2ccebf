import { VALIDATORS } from './fixtures';

/** Enumerated fields of built-in kinds, which the Kubernetes schemas list without their values. */

const [validator] = VALIDATORS;

function deployment(podSpec: any): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec: { selector: {}, template: { spec: podSpec } } };
}

test('unknown values of common fields are refused, naming the allowed ones', () => {
  const errors = validator.validate([
    deployment({
      restartPolicy: 'Sometimes',
      dnsPolicy: 'ClusterFirst',
      containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'Sometimes', ports: [{ containerPort: 80, protocol: 'tcp' }] }],
      tolerations: [{ key: 'a', operator: 'Equals', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoScheduling' }],
    }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec: { type: 'Loadbalancer', ports: [{ port: 80 }], ipFamilies: ['IPv5'] } },
  ]);
  expect(errors).toEqual([
    'Deployment/ns/web: spec.template.spec.restartPolicy = "Sometimes": must be one of "Always", "OnFailure", "Never", ""',
    'Deployment/ns/web: spec.template.spec.containers[0].imagePullPolicy = "Sometimes": must be one of "Always", "Never", "IfNotPresent", ""',
    'Deployment/ns/web: spec.template.spec.containers[0].ports[0].protocol = "tcp": must be one of "TCP", "UDP", "SCTP", ""',
    'Deployment/ns/web: spec.template.spec.tolerations[0].operator = "Equals": must be one of "Exists", "Equal", ""',
    'Deployment/ns/web: spec.template.spec.tolerations[1].effect = "NoScheduling": must be one of "NoSchedule", "PreferNoSchedule", "NoExecute", ""',
    'Service/ns/web: spec.type = "Loadbalancer": must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", ""',
    'Service/ns/web: spec.ipFamilies[0] = "IPv5": must be one of "IPv4", "IPv6"',
  ]);
});

test('empty strings pass where the API server defaults them, not where it refuses them', () => {
  expect(validator.validate([deployment({ restartPolicy: '', containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: '' }] })])).toEqual([]);
  expect(validator.validate([deployment({ containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'v', mountPath: '/v', mountPropagation: '' }] }] })])).toEqual([
    'Deployment/ns/web: spec.template.spec.containers[0].volumeMounts[0].mountPropagation = "": must be one of "None", "HostToContainer", "Bidirectional"',
  ]);
});

test('apps and batch strategies and policies', () => {
  expect(validator.validate([
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: {}, template: {}, updateStrategy: { type: 'Rolling' } } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '@daily', concurrencyPolicy: 'Never', jobTemplate: { spec: { template: {} } } } },
  ])).toEqual([
    'DaemonSet/d: spec.updateStrategy.type = "Rolling": must be one of "RollingUpdate", "OnDelete", ""',
    'CronJob/c: spec.concurrencyPolicy = "Never": must be one of "Allow", "Forbid", "Replace", ""',
  ]);
});
