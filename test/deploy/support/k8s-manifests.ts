import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IConfigMap, IContainer, IPodSpec } from 'kubernetes-models/v1';
import type { Env } from './app-env';
import { expandLikeKubernetes } from './k8s-command';
import { isRecord, listFiles, readYamlDocuments } from './repo-files';

export interface Manifest {
  file: string;
  doc: Record<string, unknown>;
}

export const KUSTOMIZATION = 'k8s/kustomization.yaml';

/** Every object of every k8s/*.yaml except the kustomization, which is not an API object. */
export function loadManifests(): Manifest[] {
  return listFiles('k8s', '.yaml')
    .filter((file) => file !== KUSTOMIZATION)
    .flatMap((file) => readYamlDocuments(file).map((doc) => {
      if (!isRecord(doc)) throw new Error(`${file}: a document is not a mapping`);
      return { file, doc };
    }));
}

/**
 * The objects of one kind, typed. Only meaningful once the model validation test has passed;
 * until then the other tests may fail on shapes it would have reported first.
 */
export function objectsOfKind<T>(manifests: readonly Manifest[], kind: string): T[] {
  return manifests.filter((manifest) => manifest.doc.kind === kind).map((manifest) => manifest.doc as T);
}

export function nameOf(object: { metadata?: { name?: string } }): string {
  return object.metadata?.name ?? '(unnamed)';
}

export interface Workload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  replicas: number | undefined;
  /** A StatefulSet's governing Service: its pods are `<name>-N.<serviceName>`. */
  serviceName?: string;
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  pod: IPodSpec;
}

export function workloads(manifests: readonly Manifest[]): Workload[] {
  const describe = (kind: Workload['kind'], object: IDeployment | IStatefulSet): Workload => ({
    kind,
    name: nameOf(object),
    replicas: object.spec?.replicas,
    ...(kind === 'StatefulSet' && { serviceName: (object as IStatefulSet).spec?.serviceName }),
    selector: object.spec?.selector.matchLabels ?? {},
    podLabels: object.spec?.template.metadata?.labels ?? {},
    pod: object.spec?.template.spec ?? { containers: [] },
  });
  return [
    ...objectsOfKind<IDeployment>(manifests, 'Deployment').map((object) => describe('Deployment', object)),
    ...objectsOfKind<IStatefulSet>(manifests, 'StatefulSet').map((object) => describe('StatefulSet', object)),
  ];
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** What the downward API would put in a field, shaped as the real value is. */
const FIELD_SAMPLES: Record<string, string> = {
  'status.podIP': '10.244.1.17',
};

/** The Secret the operator creates (README, Credentials); never part of k8s/. */
export const CREDENTIALS_SECRET = 'ordernum-credentials';

/** Stand-ins for its keys, shaped as the real values are. */
const SECRET_SAMPLES: Record<string, string> = {
  ADMIN_TOKEN: 'sample-admin-token-0123456789',
  ZK_AUTH: 'ordernum:sample-zk-password',
  REDIS_PASSWORD: 'sample-redis-password',
  REDIS_URL: 'redis://:sample-redis-password@redis:6379',
  MARIADB_PASSWORD: 'sample-mariadb-password',
  DATABASE_URL: 'mysql://ordernum:sample-mariadb-password@mariadb:3306/ordernum',
};

/**
 * The environment a container starts with in the pod `podName`: envFrom ConfigMaps first, then
 * `env` over them (Kubernetes' precedence), `$(NAME)` in a value expanded from the variables
 * before it. A reference to a missing ConfigMap or field is an error here, because the pod would
 * not start (or would start without it).
 */
export function containerEnv(container: IContainer, configMaps: readonly IConfigMap[], podName = 'sample-0'): Env {
  const fields: Record<string, string> = { ...FIELD_SAMPLES, 'metadata.name': podName };
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const configMap = configMaps.find((candidate) => nameOf(candidate) === name);
    if (!configMap) throw new Error(`${container.name}: envFrom names a ConfigMap that k8s/ does not define: ${name}`);
    Object.assign(env, configMap.data ?? {});
  }
  for (const variable of container.env ?? []) {
    const fieldPath = variable.valueFrom?.fieldRef?.fieldPath;
    const secret = variable.valueFrom?.secretKeyRef;
    if (secret && secret.name !== CREDENTIALS_SECRET) throw new Error(`${container.name}: ${variable.name} from an unknown Secret ${secret.name}`);
    const literal = variable.value === undefined ? undefined : expandLikeKubernetes(variable.value, env);
    const value = secret ? SECRET_SAMPLES[secret.key] : fieldPath === undefined ? literal : fields[fieldPath];
    if (value === undefined) throw new Error(`${container.name}: no value for ${variable.name}`);
    env[variable.name] = value;
  }
  return env;
}

/** A port given by number or by name, as the container declares it. */
export function containerPortNumber(containers: readonly IContainer[], port: number | string | undefined): number | undefined {
  const ports = containers.flatMap((container) => container.ports ?? []);
  const match = ports.find((candidate) => (typeof port === 'number' ? candidate.containerPort === port : candidate.name === port));
  return match?.containerPort;
}

/** The variables a container takes from the credentials Secret. */
export function secretEnvNames(container: IContainer | undefined): string[] {
  return (container?.env ?? [])
    .filter((variable) => variable.valueFrom?.secretKeyRef?.name === CREDENTIALS_SECRET)
    .map((variable) => variable.name);
}
