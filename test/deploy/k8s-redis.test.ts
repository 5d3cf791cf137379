import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IService } from 'kubernetes-models/v1';
import { orderServiceEnvSchema } from '@app/contracts';
import { expandLikeKubernetes } from './support/k8s-command';
import {
  containerEnv,
  containerPortNumber,
  loadManifests,
  nameOf,
  objectsOfKind,
  secretEnvNames,
  selects,
  type Workload,
  workloads,
} from './support/k8s-manifests';
import { runWithStubbedRedis, type StubbedRedis } from './support/redis-start';
import { dataNodeStart, isSentinel, sentinelStart } from './support/redis-topology';

const manifests = loadManifests();
const configMaps = objectsOfKind<IConfigMap>(manifests, 'ConfigMap');
const services = objectsOfKind<IService>(manifests, 'Service');
const allWorkloads = workloads(manifests);

interface RedisPod {
  name: string;
  /** The stable name `<pod>.<serviceName>` others reach it at. */
  dnsName: string;
  workload: Workload;
  container: IContainer;
}

const redisPods: RedisPod[] = allWorkloads.flatMap((workload) => {
  const container = workload.pod.containers.find((candidate) => candidate.image?.startsWith('redis:'));
  if (!container) return [];
  return Array.from({ length: workload.replicas ?? 1 }, (_, ordinal) => {
    const name = `${workload.name}-${ordinal}`;
    return { name, dnsName: `${name}.${workload.serviceName}`, workload, container };
  });
});
const podNamed = (name: string) => redisPods.find((pod) => pod.name === name)!;
const envOf = (pod: RedisPod) => containerEnv(pod.container, configMaps, pod.name);

/** The pod's command as Kubernetes and then its shell run it, against Sentinels that name `primaryNamedBy` (none by default). */
const start = (pod: RedisPod, primaryNamedBy?: StubbedRedis['primaryNamedBy'], env = envOf(pod)) =>
  runWithStubbedRedis((pod.container.command ?? []).map((part) => expandLikeKubernetes(part, env)), env, {
    password: env.REDIS_PASSWORD,
    primaryNamedBy,
  });

const firstStart = new Map(redisPods.map((pod) => [pod, start(pod)]));
const sentinels = redisPods.filter((pod) => isSentinel(firstStart.get(pod)!));
const dataNodes = redisPods.filter((pod) => !sentinels.includes(pod));
const PASSWORD = envOf(dataNodes[0]).REDIS_PASSWORD;
const sentinelPort = (pod: RedisPod) => sentinelStart(firstStart.get(pod)!).port;
const orderService = allWorkloads.find((workload) => workload.name === 'order-service')!;
const orderConfig = orderServiceEnvSchema.parse(containerEnv(orderService.pod.containers[0], configMaps));
const byHost = (a: { host: string }, b: { host: string }) => a.host.localeCompare(b.host);
const titled = (pods: RedisPod[]): [string, RedisPod][] => pods.map((pod) => [pod.name, pod]);
const firstPrimary = podNamed('redis-0');

describe.each([['redis', 2], ['redis-sentinel', 3]])('k8s: StatefulSet %s', (name, replicas) => {
  const workload = allWorkloads.find((candidate) => candidate.name === name);
  const headless = services.find((service) => nameOf(service) === workload?.serviceName);

  test(`runs ${replicas} pods, named through a headless Service that publishes them before they are ready`, () => {
    expect({ kind: workload?.kind, replicas: workload?.replicas }).toEqual({ kind: 'StatefulSet', replicas });
    expect(headless?.spec?.clusterIP).toBe('None');
    expect(headless?.spec?.publishNotReadyAddresses).toBe(true);
    expect(selects(headless?.spec?.selector ?? {}, workload?.podLabels ?? {})).toBe(true);
  });

  test('a PodDisruptionBudget lets one pod go at a time', () => {
    const budgets = objectsOfKind<IPodDisruptionBudget>(manifests, 'PodDisruptionBudget')
      .filter((budget) => selects(budget.spec?.selector?.matchLabels ?? {}, workload?.podLabels ?? {}));
    expect(budgets.map((budget) => budget.spec?.maxUnavailable)).toEqual([1]);
  });
});

describe('k8s: Redis behind Sentinel', () => {
  test('pod 0 starts as the primary and pod 1 as its replica, by stable name; three Sentinels', () => {
    expect(dataNodes.map((pod) => [pod.name, dataNodeStart(firstStart.get(pod)!).replicaOf])).toEqual([
      ['redis-0', undefined],
      ['redis-1', { host: 'redis-0.redis', port: 6379 }],
    ]);
    expect(sentinels.map((pod) => pod.name)).toEqual(['redis-sentinel-0', 'redis-sentinel-1', 'redis-sentinel-2']);
  });

  test('each data node keeps /data on its own PersistentVolumeClaim', () => {
    const statefulSet = objectsOfKind<IStatefulSet>(manifests, 'StatefulSet').find((candidate) => nameOf(candidate) === 'redis');
    const claims = statefulSet?.spec?.volumeClaimTemplates?.map((claim) => claim.metadata?.name);
    const mount = statefulSet?.spec?.template.spec?.containers[0].volumeMounts?.find((candidate) => candidate.mountPath === '/data');
    expect(claims).toContain(mount?.name);
  });

  test.each(titled(dataNodes))('%s requires the password, gives it to its primary, syncs every write, announces its name',
    (_name, pod) => {
      const node = dataNodeStart(firstStart.get(pod)!);
      expect(node).toMatchObject({
        requirepass: PASSWORD, masterauth: PASSWORD, appendonly: 'yes', appendfsync: 'always', announce: pod.dnsName,
      });
      expect(containerPortNumber([pod.container], 'redis')).toBe(node.port);
    });

  test.each(titled(sentinels))('%s monitors the primary by name, with a majority quorum and the password', (_name, pod) => {
    expect(sentinelStart(firstStart.get(pod)!)).toEqual({
      port: containerPortNumber([pod.container], 'sentinel'),
      requirepass: PASSWORD,
      resolvesHostnames: true,
      announcesHostnames: true,
      announce: pod.dnsName,
      primaries: [{
        name: orderConfig.REDIS_MASTER_NAME, host: firstPrimary.dnsName, port: dataNodeStart(firstStart.get(firstPrimary)!).port,
        quorum: Math.floor(sentinels.length / 2) + 1, authPass: PASSWORD, downAfterMs: 5000, failoverTimeoutMs: 60000,
      }],
    });
  });

  test('REDIS_SENTINELS lists exactly the Sentinel pods by stable name and port; REDIS_MASTER_NAME is the name they monitor', () => {
    const listed = [...(orderConfig.REDIS_SENTINELS ?? [])].sort(byHost);
    expect(listed).toEqual(sentinels.map((pod) => ({ host: pod.dnsName, port: sentinelPort(pod) })));
    expect(orderConfig.REDIS_MASTER_NAME).toBe('ordernum');
  });

  test.each(titled(redisPods))('%s asks every Sentinel, with the password, for the primary before it starts', (_name, pod) => {
    const askPrimary = `sentinel get-master-addr-by-name ${orderConfig.REDIS_MASTER_NAME}`;
    const asked = firstStart.get(pod)!.cliCalls.map(({ auth, host, port, command }) => ({ auth, host, port, command: command.join(' ') }));
    expect(asked.sort(byHost)).toEqual(sentinels.map((sentinel) => ({
      auth: PASSWORD, host: sentinel.dnsName, port: sentinelPort(sentinel), command: askPrimary,
    })));
  });
});

describe('k8s: Redis after a failover (a rollout restarts every pod)', () => {
  const [oldPrimary, newPrimary] = dataNodes;
  const promoted = { host: newPrimary.dnsName, port: 6379 };
  const namedBy = (sentinel: RedisPod) => `${sentinel.dnsName}:${sentinelPort(sentinel)}`;

  test('the old primary rejoins as a replica of the primary a Sentinel names; that one stays primary', () => {
    const named = { [namedBy(sentinels[1])]: promoted };
    expect(dataNodeStart(start(oldPrimary, named)).replicaOf).toEqual(promoted);
    expect(dataNodeStart(start(newPrimary, named)).replicaOf).toBeUndefined();
  });

  test('a Sentinel still naming the old primary does not outvote one naming the new', () => {
    const named = { [namedBy(sentinels[0])]: { host: oldPrimary.dnsName, port: 6379 }, [namedBy(sentinels[2])]: promoted };
    expect(dataNodeStart(start(oldPrimary, named)).replicaOf).toEqual(promoted);
  });

  test('a restarted Sentinel monitors the primary its peers name', () => {
    const named = { [namedBy(sentinels[1])]: promoted };
    expect(sentinelStart(start(sentinels[0], named)).primaries.map(({ host, port }) => ({ host, port }))).toEqual([promoted]);
  });
});

describe.each(titled(redisPods))('k8s: %s credentials', (_name, pod) => {
  test('the password comes from the Secret, never from a literal', () => {
    expect(secretEnvNames(pod.container)).toEqual(['REDIS_PASSWORD']);
    const other = 'another-redis-password';
    const run = start(pod, undefined, { ...envOf(pod), REDIS_PASSWORD: other });
    const given = isSentinel(run)
      ? [sentinelStart(run).requirepass, ...sentinelStart(run).primaries.map((monitored) => monitored.authPass)]
      : [dataNodeStart(run).requirepass, dataNodeStart(run).masterauth];
    expect(given).toEqual(given.map(() => other));
  });

  test('the readiness probe PINGs its own port with the password; liveness watches the same port', () => {
    const run = firstStart.get(pod)!;
    const port = isSentinel(run) ? sentinelStart(run).port : dataNodeStart(run).port;
    const probe = pod.container.readinessProbe?.exec?.command ?? [];
    const ready = runWithStubbedRedis(probe, envOf(pod), { password: PASSWORD });
    expect({ status: ready.status, calls: ready.cliCalls }).toEqual({
      status: 0, calls: [{ auth: PASSWORD, host: '127.0.0.1', port, command: ['ping'] }],
    });
    expect(runWithStubbedRedis(probe, envOf(pod), { password: 'not-this-one' }).status).not.toBe(0);
    expect(containerPortNumber([pod.container], pod.container.livenessProbe?.tcpSocket?.port)).toBe(port);
  });
});
