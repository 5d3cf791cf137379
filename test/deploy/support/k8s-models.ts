import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { isRecord } from './repo-files';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: object) => Validatable;

/** The kinds k8s/ may use; a new kind fails the tests until its model is added here. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

export function modelFor(doc: Record<string, unknown>): ModelClass | undefined {
  return MODELS[`${String(doc.apiVersion)}/${String(doc.kind)}`];
}

interface ValidationIssue {
  instancePath: string;
  message?: string;
}

function validationIssues(Model: ModelClass, doc: object): ValidationIssue[] {
  try {
    new Model(doc).validate();
    return [];
  } catch (error) {
    const issues = isRecord(error) && Array.isArray(error.errors) ? (error.errors as ValidationIssue[]) : [];
    if (issues.length === 0) throw error;
    return issues;
  }
}

/** The model's own validation (types, enums, required fields), one "path message" per issue. */
export function modelErrors(Model: ModelClass, doc: object): string[] {
  return validationIssues(Model, doc).map((issue) => `${issue.instancePath || '/'} ${issue.message ?? ''}`);
}

/** JSON pointer, as ajv reports `instancePath` (`app.kubernetes.io/name` → `app.kubernetes.io~1name`). */
function pointer(path: readonly (string | number)[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const PROBE = Symbol('unknown-field probe');

/**
 * kubernetes-models ships its schemas only as compiled validators (no JSON schema is exported)
 * and they ignore keys they do not know. A key is known exactly when its validator checks it:
 * put a Symbol, which no schema type accepts, in its place and look for an error at that path.
 * Map-like fields (labels, ConfigMap data) check every key, so their keys count as known.
 */
function isKnownKey(Model: ModelClass, doc: object, path: readonly (string | number)[]): boolean {
  const probed: unknown = structuredClone(doc);
  let parent = probed as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  parent[path[path.length - 1]] = PROBE;
  const at = pointer(path);
  return validationIssues(Model, probed as object).some((issue) => issue.instancePath === at);
}

/** Every key, at any depth, that the model's schema does not define (a typo Kubernetes would drop or reject). */
export function unknownFields(Model: ModelClass, doc: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, index]));
    } else if (isRecord(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (isKnownKey(Model, doc, [...path, key])) walk(child, [...path, key]);
        else found.push(pointer([...path, key]));
      }
    }
  };
  walk(doc, []);
  return found;
}
