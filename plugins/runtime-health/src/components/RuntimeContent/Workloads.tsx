import { Alert, Flex, Text } from '@backstage/ui';
import { ExternalLink } from '../common/ExternalLink';
import { Unattributed } from '../common/Unattributed';
import type {
  ClusterWorkloads,
  KubernetesHealth,
  WorkloadHealth,
} from '@paved/plugin-paved-common';
import { workloadState } from '../../lib/present';

function WorkloadRow(props: { workload: WorkloadHealth }) {
  const { workload } = props;
  const state = workloadState(workload);
  const restarts = workload.pods.reduce((sum, p) => sum + p.restarts, 0);
  const problems = [...new Set(workload.pods.flatMap(p => p.problems))];
  return (
    <tr data-state={state}>
      <th scope="row">
        {workload.name}
        <Text as="div" variant="body-x-small" color="secondary">
          {workload.kind} in {workload.namespace}
        </Text>
      </th>
      <td>
        {workload.ready}/{workload.desired}
      </td>
      <td>{workload.pods.length}</td>
      <td>{restarts}</td>
      <td>
        {problems.length > 0 ? (
          <span className="paved-rh-problem">{problems.join(', ')}</span>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

function Cluster(props: { cluster: ClusterWorkloads }) {
  const { cluster } = props;
  let body;
  if (cluster.error) {
    body = (
      <Alert
        status="warning"
        icon
        title={`${cluster.cluster} could not be read`}
        description={cluster.error.message}
      />
    );
  } else if (cluster.workloads.length === 0) {
    body = (
      <Text variant="body-small" color="secondary">
        No workloads of this entity run here.
      </Text>
    );
  } else {
    body = (
      <table
        className="paved-rh-table"
        aria-label={`Workloads on ${cluster.cluster}`}
      >
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col">Ready</th>
            <th scope="col">Pods</th>
            <th scope="col">Restarts</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {cluster.workloads.map(w => (
            <WorkloadRow
              key={`${w.namespace}/${w.kind}/${w.name}`}
              workload={w}
            />
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <Flex direction="column" gap="2">
      <Flex align="baseline" justify="between">
        <Text as="h3" variant="title-x-small">
          {cluster.cluster}
        </Text>
        {cluster.dashboardUrl && (
          <ExternalLink href={cluster.dashboardUrl} variant="body-small">
            Cluster dashboard
          </ExternalLink>
        )}
      </Flex>
      {body}
      <Unattributed items={cluster.unattributed} />
    </Flex>
  );
}

/** The entity's workloads per cluster; a cluster that could not be read says so without hiding the others. */
export function Workloads(props: { data: KubernetesHealth }) {
  if (props.data.clusters.length === 0) {
    return (
      <Text color="secondary">
        No cluster is configured (`paved.eks.clusters`) or named in
        `paved.dev/clusters`.
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="5">
      {props.data.clusters.map(c => (
        <Cluster key={c.cluster} cluster={c} />
      ))}
    </Flex>
  );
}
