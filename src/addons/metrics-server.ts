import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { resolveImage } from './image-versions';
import { controllerPlacement, requests, SystemPriorityClass } from './pod-placement';
import { WorkloadAddon } from './workload-addon';

/**
 * metrics-server's released image by Kubernetes minor, after the compatibility matrix of its
 * README at v0.9.0 (`imports/metrics-server/v0.9.0/README.md`): 0.9.x supports Kubernetes 1.34+,
 * 0.8.x 1.31+. v0.9.0 is tested against 1.34 to 1.36 (its Makefile), so older minors keep v0.8.1,
 * whose `manifests/` are those of v0.9.0 but for the release image tag (`git diff v0.8.1 v0.9.0 --
 * manifests/`). Never the base manifest's moving `gcr.io/k8s-staging-metrics-server/metrics-server:master`.
 */
export const METRICS_SERVER_IMAGES: { [minor: string]: string } = {
  1.31: 'registry.k8s.io/metrics-server/metrics-server:v0.8.1',
  1.32: 'registry.k8s.io/metrics-server/metrics-server:v0.8.1',
  1.33: 'registry.k8s.io/metrics-server/metrics-server:v0.8.1',
  1.34: 'registry.k8s.io/metrics-server/metrics-server:v0.9.0',
  1.35: 'registry.k8s.io/metrics-server/metrics-server:v0.9.0',
  1.36: 'registry.k8s.io/metrics-server/metrics-server:v0.9.0',
};

/** Options of a {@link MetricsServer}. */
export interface MetricsServerOptions extends ClusterResourceSetAddonOptions {
  /**
   * Image of metrics-server, pinned to a version (a tag with a number, or a digest).
   * @default - the metrics-server release supporting the cluster's Kubernetes minor
   * (`METRICS_SERVER_IMAGES`): v0.9.0 from Kubernetes 1.34, v0.8.1 for 1.31 to 1.33
   */
  readonly image?: string;

  /**
   * Replicas. From 2, upstream's `high-availability-1.21+` component applies: a
   * PodDisruptionBudget (`minAvailable: 1`), one replica per node (required pod anti-affinity),
   * and rolling updates one replica at a time; as it runs on control plane nodes, at most the
   * cluster's control plane machines. metrics-server's README recommends `--enable-aggregator-routing=true` on the
   * API server with several replicas.
   * @default 1 (upstream's `components.yaml`)
   */
  readonly replicas?: number;

  /**
   * Whether metrics-server skips verifying the kubelets' serving certificates
   * (`--kubelet-insecure-tls`). A kubeadm kubelet serves a self-signed certificate unless its
   * `serverTLSBootstrap` is on and its certificate signing requests are approved, which neither
   * kubeadm nor Cluster API do: metrics-server cannot verify the certificate and scrapes nothing.
   * Set false only once every kubelet serves a certificate signed by the cluster CA (kubelet
   * `rotate-server-certificates: "true"` and a CSR approver, such as kubelet-csr-approver, in the
   * workload cluster): metrics-server then verifies it with the cluster CA of its ServiceAccount,
   * as metrics-server's FAQ ("How to run metrics-server securely?") advises.
   * @default true
   */
  readonly kubeletInsecureTls?: boolean;

  /**
   * More metrics-server flags, without the leading dashes, e.g. `{ 'metric-resolution': '30s' }`.
   * A flag of the upstream manifest (`kubelet-preferred-address-types`, `metric-resolution`,
   * `kubelet-use-node-status-port`) is replaced in place; others are appended in name order.
   * `cert-dir` and `secure-port` (tied to the pod's volume and port) and `kubelet-insecure-tls`
   * (see `kubeletInsecureTls`) are refused.
   * @default - none
   */
  readonly extraArgs?: { [name: string]: string };
}

/** Props of a {@link MetricsServer}. */
export interface MetricsServerProps extends MetricsServerOptions {
  /** The cluster to run metrics-server in. */
  readonly cluster: ICapiCluster;
}

const NAMESPACE = 'kube-system';
const NAME = 'metrics-server';
/** kustomize's `commonLabels` of upstream `manifests/base/kustomization.yaml`. */
const LABELS = { 'k8s-app': NAME };
const RESERVED_ARGS: { [name: string]: string } = {
  'cert-dir': 'mounts its volume there',
  'secure-port': 'must match the container port 10250 of the Service and probes',
  'kubelet-insecure-tls': 'set kubeletInsecureTls instead',
};
/** The flags of upstream `manifests/base/deployment.yaml`, in order. */
const UPSTREAM_ARGS: Array<[string, string | undefined]> = [
  ['cert-dir', '/tmp'],
  ['secure-port', '10250'],
  ['kubelet-preferred-address-types', 'InternalIP,ExternalIP,Hostname'],
  ['kubelet-use-node-status-port', undefined],
  ['metric-resolution', '15s'],
];

/**
 * metrics-server (kubernetes-sigs/metrics-server), the source of the `metrics.k8s.io` API that
 * `kubectl top` and HorizontalPodAutoscalers read: upstream's release manifest (`manifests/`
 * base, `components/release`) at v0.9.0, and with `replicas` of 2 or more its
 * `high-availability-1.21+` component, delivered by a ClusterResourceSet.
 *
 * Differences from upstream: the image is a pinned release (the base manifest names the moving
 * `...-staging.../metrics-server:master`, which `components/release` rewrites), and
 * `--kubelet-insecure-tls` is on by default, as kubeadm clusters need (see `kubeletInsecureTls`;
 * metrics-server's README: "Kubelet certificate needs to be signed by cluster Certificate
 * Authority (or disable certificate validation by passing `--kubelet-insecure-tls`)").
 *
 * It runs on the control plane nodes, tolerating their taint (upstream: on any Linux node): on a
 * worker it would keep that worker's pool from scaling down to zero, and with every pool at zero
 * it would wait for a worker.
 */
export class MetricsServer extends WorkloadAddon {
  /** The ClusterResourceSet delivering metrics-server. */
  public readonly addon: ClusterResourceSetAddon;
  /** The image of metrics-server. */
  public readonly image: string;
  /** The replicas of the Deployment. */
  public readonly replicas: number;
  /** The flags of the metrics-server container. */
  public readonly args: string[];

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id, props, 'MetricsServerOptions', ['image', 'replicas', 'kubeletInsecureTls', 'extraArgs']);
    const errors = new InputErrors(this);

    this.image = resolveImage(errors, 'image', props.image, METRICS_SERVER_IMAGES, props.cluster.kubernetesVersion, 'metrics-server');
    this.replicas = props.replicas ?? 1;
    errors.check(Number.isInteger(this.replicas) && this.replicas >= 1 && this.replicas <= 10, 'replicas', props.replicas,
      'must be an integer from 1 to 10');
    const controlPlaneNodes = props.cluster.controlPlaneReplicas;
    errors.check(controlPlaneNodes === 0 || !(this.replicas > controlPlaneNodes), 'replicas', props.replicas,
      `must not exceed the cluster's ${controlPlaneNodes} control plane machines: each replica runs on a control plane node of its own (required anti-affinity)`);
    errors.checkBoolean('kubeletInsecureTls', props.kubeletInsecureTls);
    this.args = metricsServerArgs(errors, props.extraArgs, props.kubeletInsecureTls ?? true);
    errors.throwIfAny();

    const chart = this.workload;
    const metadata = (name: string, namespace?: string, labels: { [key: string]: string } = {}) =>
      ({ name, ...(namespace ? { namespace } : {}), labels: { ...labels, ...LABELS } });
    const subjects = [{ kind: 'ServiceAccount', name: NAME, namespace: NAMESPACE }];

    // manifests/base/rbac.yaml
    new k8s.KubeClusterRole(chart, 'AggregatedReaderRole', {
      metadata: metadata('system:aggregated-metrics-reader', undefined, {
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
      }),
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeServiceAccount(chart, 'ServiceAccount', { metadata: metadata(NAME, NAMESPACE) });
    new k8s.KubeRoleBinding(chart, 'AuthReaderBinding', {
      metadata: metadata('metrics-server-auth-reader', NAMESPACE),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects,
    });
    new k8s.KubeClusterRoleBinding(chart, 'AuthDelegatorBinding', {
      metadata: metadata('metrics-server:system:auth-delegator'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects,
    });
    new k8s.KubeClusterRole(chart, 'Role', {
      metadata: metadata('system:metrics-server'),
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(chart, 'RoleBinding', {
      metadata: metadata('system:metrics-server'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:metrics-server' },
      subjects,
    });

    // manifests/base/service.yaml
    new k8s.KubeService(chart, 'Service', {
      metadata: metadata(NAME, NAMESPACE),
      spec: {
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: k8s.IntOrString.fromString('https'), appProtocol: 'https' }],
        selector: LABELS,
      },
    });

    // manifests/base/deployment.yaml, with components/high-availability's patch from 2 replicas
    const ha = this.replicas >= 2;
    new k8s.KubeDeployment(chart, 'Deployment', {
      metadata: metadata(NAME, NAMESPACE),
      spec: {
        ...(ha ? { replicas: this.replicas } : {}),
        selector: { matchLabels: LABELS },
        strategy: { rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(ha ? 1 : 0) } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: NAME,
            volumes: [{ name: 'tmp-dir', emptyDir: {} }],
            priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
            containers: [{
              name: NAME,
              image: this.image,
              imagePullPolicy: 'IfNotPresent',
              args: this.args,
              resources: requests('100m', '200Mi'),
              ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }],
              readinessProbe: {
                httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('https'), scheme: 'HTTPS' },
                periodSeconds: 10,
                failureThreshold: 3,
                initialDelaySeconds: 20,
              },
              livenessProbe: {
                httpGet: { path: '/livez', port: k8s.IntOrString.fromString('https'), scheme: 'HTTPS' },
                periodSeconds: 10,
                failureThreshold: 3,
              },
              securityContext: {
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 1000,
                allowPrivilegeEscalation: false,
                seccompProfile: { type: 'RuntimeDefault' },
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }],
            }],
            nodeSelector: { 'kubernetes.io/os': 'linux', ...controllerPlacement(props.cluster).nodeSelector },
            tolerations: controllerPlacement(props.cluster).tolerations,
            ...(ha ? {
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [{
                    labelSelector: { matchLabels: LABELS },
                    namespaces: [NAMESPACE],
                    topologyKey: 'kubernetes.io/hostname',
                  }],
                },
              },
            } : {}),
          },
        },
      },
    });

    if (ha) {
      // components/high-availability/pdb.yaml, in policy/v1 (components/high-availability-1.21+)
      new k8s.KubePodDisruptionBudget(chart, 'PodDisruptionBudget', {
        metadata: { name: NAME, namespace: NAMESPACE, labels: LABELS },
        spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: LABELS } },
      });
    }

    // manifests/base/apiservice.yaml
    new k8s.KubeApiService(chart, 'ApiService', {
      metadata: metadata('v1beta1.metrics.k8s.io'),
      spec: {
        service: { name: NAME, namespace: NAMESPACE },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        insecureSkipTlsVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    });

    this.addon = this.deliver(props, 'metrics-server');
  }
}

/** The container's flags: upstream's, with `extraArgs` replacing or following them. */
function metricsServerArgs(errors: InputErrors, extraArgs: { [name: string]: string } | undefined, insecureTls: boolean): string[] {
  const flag = (name: string, value: string | undefined) => (value === undefined ? `--${name}` : `--${name}=${value}`);
  const extra = errors.checkStringMap('extraArgs', extraArgs) ? { ...extraArgs } : {};
  for (const [name, value] of Object.entries(extra)) {
    if (!errors.check(/^[a-z0-9][a-z0-9-]*$/.test(name), `extraArgs.${name}`, value, 'must name a flag without its leading dashes: lower-case letters, digits and "-"')) continue;
    if (RESERVED_ARGS[name]) errors.add(`extraArgs.${name}`, value, `is set by the add-on: ${RESERVED_ARGS[name]}`);
  }
  const args = UPSTREAM_ARGS.map(([name, value]) => flag(name, name in extra ? extra[name] : value));
  if (insecureTls) args.push('--kubelet-insecure-tls');
  const upstream = new Set(UPSTREAM_ARGS.map(([name]) => name));
  for (const name of Object.keys(extra).filter(n => !upstream.has(n)).sort()) args.push(flag(name, extra[name]));
  return args;
}
