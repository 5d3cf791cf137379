import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IService } from 'kubernetes-models/v1';
import { type AppName, envProblems, unknownEnvNames } from './support/app-env';
import { findOnPath, runTool, testWithTool } from './support/external-tool';
import { exportsOfShellCommand } from './support/k8s-command';
import {
  containerEnv,
  containerPortNumber,
  KUSTOMIZATION,
  loadManifests,
  nameOf,
  objectsOfKind,
  secretEnvNames,
  selects,
  workloads,
} from './support/k8s-manifests';
import { modelErrors, modelFor, unknownFields } from './support/k8s-models';
import { listFiles, readYaml, yaml11Ambiguities } from './support/repo-files';
import { missingFourLetterWords, parseConnectString, parseZooServers, provesServing } from './support/zk-ensemble';

const manifests = loadManifests();
const configMaps = objectsOfKind<IConfigMap>(manifests, 'ConfigMap');
const services = objectsOfKind<IService>(manifests, 'Service');
const allWorkloads = workloads(manifests);
const workload = (name: string) => {
  const found = allWorkloads.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`k8s/ defines no workload ${name}`);
  return found;
};
const appContainer = (app: AppName): IContainer => {
  const found = workload(app).pod.containers.find((container) => container.args?.[0] === app);
  if (!found) throw new Error(`${app}: no container runs \`${app}\``);
  return found;
};
const appEnv = (app: AppName) => containerEnv(appContainer(app), configMaps);
const zk = workload('zk');
const zkContainer = zk.pod.containers[0];
const zkEnvValue = (name: string) => zkContainer.env?.find((variable) => variable.name === name)?.value ?? '';

const titleOf = ({ file, doc }: (typeof manifests)[number]) =>
  `${file} ${String(doc.kind)} ${nameOf(doc as { metadata?: { name?: string } })}`;

describe.each(manifests.map((manifest) => [titleOf(manifest), manifest]))(
  'k8s: %s', (_title, { doc }) => {
    const model = () => {
      const Model = modelFor(doc);
      if (!Model) throw new Error(`no kubernetes-models model for ${String(doc.apiVersion)} ${String(doc.kind)}`);
      return Model;
    };

    test('is a kind with a kubernetes-models model, and validates', () => {
      expect(modelErrors(model(), doc)).toEqual([]);
    });

    test('has no field its schema does not define', () => {
      expect(unknownFields(model(), doc)).toEqual([]);
    });
  });

describe('k8s: the kustomization', () => {
  test('lists every manifest file of k8s/', () => {
    const { resources } = readYaml(KUSTOMIZATION) as { resources?: string[] };
    const manifestFiles = listFiles('k8s', '.yaml').filter((file) => file !== KUSTOMIZATION);
    expect([...(resources ?? [])].sort()).toEqual(manifestFiles.map((file) => file.replace(/^k8s\//, '')));
  });

  test.each(listFiles('k8s', '.yaml'))('%s means the same to YAML 1.1 readers (kubectl)', (file) => {
    expect(yaml11Ambiguities(file)).toEqual([]);
  });

  testWithTool(findOnPath('kubectl') ? ['kubectl'] : undefined, 'kubectl kustomize k8s/ renders', 'kubectl is not on PATH', (argv) => {
    const run = runTool([...argv, 'kustomize', 'k8s/']);
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('kind: StatefulSet') });
  });
});

describe.each<[AppName, string]>([['order-service', 'HTTP_PORT'], ['gateway', 'GATEWAY_PORT']])(
  'k8s: %s', (app, portVariable) => {
    test('sets only variables its config schema reads (env and envFrom ConfigMaps)', () => {
      expect(unknownEnvNames(app, appEnv(app))).toEqual([]);
    });

    test('passes its config schema', () => {
      expect(envProblems(app, appEnv(app))).toEqual([]);
    });

    test(`declares ${portVariable} as a container port, and both probes GET /health on it`, () => {
      const container = appContainer(app);
      const port = Number(appEnv(app)[portVariable]);
      expect(container.ports?.map((candidate) => candidate.containerPort)).toContain(port);
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect(probe?.httpGet?.path).toBe('/health');
        expect(containerPortNumber([container], probe?.httpGet?.port)).toBe(port);
      }
      expect(appEnv(app).HOST).toBe('0.0.0.0');
    });
  });

describe('k8s: credentials', () => {
  test('the apps take theirs from the Secret, never from a ConfigMap or a literal', () => {
    expect(secretEnvNames(appContainer('gateway')).sort()).toEqual(['ADMIN_TOKEN', 'ZK_AUTH']);
    expect(secretEnvNames(appContainer('order-service')).sort()).toEqual(['DATABASE_URL', 'REDIS_URL', 'ZK_AUTH']);
    for (const configMap of configMaps) {
      expect(Object.keys(configMap.data ?? {})).not.toEqual(expect.arrayContaining(['ADMIN_TOKEN']));
      expect(Object.keys(configMap.data ?? {}).filter((key) => ['ZK_AUTH', 'REDIS_URL', 'REDIS_PASSWORD', 'DATABASE_URL', 'MARIADB_PASSWORD'].includes(key))).toEqual([]);
    }
  });

  test('no Secret is committed in k8s/: the operator creates it', () => {
    expect(objectsOfKind(manifests, 'Secret')).toEqual([]);
  });
});

describe('k8s: topology', () => {
  test('three order-service replicas, each advertising its own pod IP and TCP port', () => {
    expect(workload('order-service').replicas).toBe(3);
    const advertise = appContainer('order-service').env?.find((variable) => variable.name === 'ADVERTISE_HOST');
    expect(advertise?.valueFrom?.fieldRef?.fieldPath).toBe('status.podIP');
    const container = appContainer('order-service');
    expect(container.ports?.map((port) => port.containerPort)).toContain(Number(appEnv('order-service').TCP_PORT));
  });

  test('both apps share ZK_CONNECT and ZK_ROOT', () => {
    expect(appEnv('gateway').ZK_CONNECT).toBe(appEnv('order-service').ZK_CONNECT);
    expect(appEnv('gateway').ZK_ROOT).toBe(appEnv('order-service').ZK_ROOT);
  });

  test('every workload selector matches its own pod labels', () => {
    const mismatched = allWorkloads.filter((candidate) => !selects(candidate.selector, candidate.podLabels));
    expect(mismatched.map((candidate) => candidate.name)).toEqual([]);
  });

  test.each(services.map((service) => [nameOf(service), service]))('Service %s selects pods and targets their ports', (_name, service) => {
    const targets = allWorkloads.filter((candidate) => selects(service.spec?.selector ?? {}, candidate.podLabels));
    expect(targets).not.toHaveLength(0);
    for (const port of service.spec?.ports ?? []) {
      const containers = targets.flatMap((target) => target.pod.containers);
      expect({ port: port.name, target: containerPortNumber(containers, port.targetPort ?? port.port) })
        .toEqual({ port: port.name, target: expect.any(Number) });
    }
  });

  test('DATABASE_URL points at the MariaDB Service, whose StatefulSet keeps its data on a PersistentVolumeClaim', () => {
    const url = new URL(appEnv('order-service').DATABASE_URL);
    const mariadb = services.find((service) => nameOf(service) === url.hostname);
    expect(mariadb?.spec?.ports?.map((port) => port.port)).toContain(Number(url.port));
    const statefulSet = objectsOfKind<IStatefulSet>(manifests, 'StatefulSet').find((candidate) => nameOf(candidate) === 'mariadb');
    const claims = statefulSet?.spec?.volumeClaimTemplates?.map((claim) => claim.metadata?.name);
    const mounts = statefulSet?.spec?.template.spec?.containers[0].volumeMounts ?? [];
    expect(mounts.find((mount) => mount.mountPath === '/var/lib/mysql')?.name).toBe(claims?.[0]);
  });

  test('REDIS_URL points at the Redis Service and its port', () => {
    const url = new URL(appEnv('order-service').REDIS_URL);
    const redis = services.find((service) => nameOf(service) === url.hostname);
    expect(redis?.spec?.ports?.map((port) => port.port)).toContain(Number(url.port));
  });
});

describe('k8s: the ZooKeeper ensemble', () => {
  const statefulSet = objectsOfKind<IStatefulSet>(manifests, 'StatefulSet').find((candidate) => nameOf(candidate) === zk.name);
  const headless = services.find(
    (service) => service.spec?.clusterIP === 'None' && selects(service.spec.selector ?? {}, zk.podLabels));
  const headlessName = headless ? nameOf(headless) : '(no headless Service)';
  const podNames = [0, 1, 2].map((ordinal) => `${zk.name}-${ordinal}`);

  test('is a StatefulSet of 3 behind a headless Service that publishes unready peers', () => {
    expect(zk.kind).toBe('StatefulSet');
    expect(zk.replicas).toBe(3);
    expect(statefulSet?.spec?.serviceName).toBe(headlessName);
    // A peer is not ready before a quorum exists, so peers must be found (and started) unready.
    expect(headless?.spec?.publishNotReadyAddresses).toBe(true);
    expect(statefulSet?.spec?.podManagementPolicy).toBe('Parallel');
  });

  test('ZK_CONNECT and ZOO_SERVERS name exactly the pods zk-0..zk-2 through the headless Service', () => {
    const hosts = podNames.map((pod) => `${pod}.${headlessName}`);
    const members = parseConnectString(appEnv('order-service').ZK_CONNECT);
    const clientPort = containerPortNumber([zkContainer], 'client');
    expect(members).toEqual(hosts.map((host) => ({ host, port: clientPort })));
    const servers = parseZooServers(zkEnvValue('ZOO_SERVERS'));
    expect(servers).toEqual(hosts.map((host, ordinal) => ({ id: ordinal + 1, host, clientPort })));
  });

  test.each(podNames)('%s exports the ZOO_MY_ID that ZOO_SERVERS gives its name, then runs the image entrypoint', (pod) => {
    const servers = parseZooServers(zkEnvValue('ZOO_SERVERS'));
    const expectedId = servers.find((server) => server.host === `${pod}.${headlessName}`)?.id;
    expect(exportsOfShellCommand(zkContainer.command ?? [], pod).ZOO_MY_ID).toBe(String(expectedId));
    // The entrypoint, not zkServer.sh directly: it writes myid and zoo.cfg from ZOO_* first.
    expect(zkContainer.command?.join(' ')).toMatch(/exec \/docker-entrypoint\.sh zkServer\.sh start-foreground$/);
  });

  test('is ready only when serving, and allows the four-letter words /health and operators use', () => {
    expect(provesServing(zkContainer.readinessProbe?.exec?.command?.join(' ') ?? '')).toBe(true);
    expect(missingFourLetterWords(zkEnvValue('ZOO_4LW_COMMANDS_WHITELIST'))).toEqual([]);
  });

  test('a PodDisruptionBudget lets one member go at a time', () => {
    const budgets = objectsOfKind<IPodDisruptionBudget>(manifests, 'PodDisruptionBudget')
      .filter((budget) => selects(budget.spec?.selector?.matchLabels ?? {}, zk.podLabels));
    expect(budgets.map((budget) => budget.spec?.maxUnavailable)).toEqual([1]);
  });
});
