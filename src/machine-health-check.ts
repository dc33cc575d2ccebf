import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { rendererFor } from './capi-api';
import { ObjectMetadata } from './capi-api/models';
import { ICapiCluster } from './cluster-contract';
import { HealthCheckModel } from './health-check';

/**
 * The MachineHealthCheck of a group of machines (the control plane, or a pool): a machine whose
 * node stays not Ready (`Ready` `False` or `Unknown`) past the timeout, or that does not become a
 * node in time, is deleted and replaced by its owner (CAPI book, "Configure a MachineHealthCheck").
 */
export function machineHealthCheck(scope: Construct, cluster: ICapiCluster, metadata: ObjectMetadata,
  selector: { [key: string]: string }, check: HealthCheckModel): ApiObject {
  const threshold = check.threshold._toSpec();
  return rendererFor(cluster.upstreamVersions).machineHealthCheck(scope, 'MachineHealthCheck', {
    metadata,
    clusterName: cluster.name,
    selector,
    nodeStartupTimeoutSeconds: check.nodeStartupTimeoutSeconds,
    unhealthyNodeConditions: ['False', 'Unknown'].map(status => ({ type: 'Ready', status, timeoutSeconds: check.unhealthyTimeoutSeconds })),
    maxUnhealthy: threshold.maxUnhealthy,
    unhealthyRange: threshold.unhealthyRange,
  });
}

/** The label CAPI puts on the machines of a MachineDeployment (CAPI book, "Supported labels"). */
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';
/** The label CAPI puts on the machines of a control plane (CAPI book, "Supported labels"). */
export const CONTROL_PLANE_NAME_LABEL = 'cluster.x-k8s.io/control-plane-name';
