import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Deployment files are addressed from the repository root, as their users see them. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function parseDocuments(relativePath: string, version: '1.1' | '1.2'): unknown[] {
  const text = readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
  return parseAllDocuments(text, { version, uniqueKeys: true }).map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${relativePath}: ${doc.errors.map((error) => error.message).join('; ')}`);
    }
    return doc.toJS();
  });
}

/** Every document of a YAML file, read as YAML 1.2; a syntax error fails loudly. */
export function readYamlDocuments(relativePath: string): unknown[] {
  return parseDocuments(relativePath, '1.2');
}

/**
 * Paths whose value a YAML 1.1 reader sees differently. docker-compose 1.x (PyYAML) and
 * kubectl (go-yaml) read 1.1, where a bare `on` is a boolean and `22:22` a number: the app
 * would receive `True` where the file seems to say `on`.
 */
export function yaml11Ambiguities(relativePath: string): string[] {
  const asYaml12 = parseDocuments(relativePath, '1.2');
  const asYaml11 = parseDocuments(relativePath, '1.1');
  return asYaml12.flatMap((doc, index) => differences(doc, asYaml11[index], `#${index}`));
}

function differences(expected: unknown, actual: unknown, at: string): string[] {
  if (isRecord(expected) && isRecord(actual)) {
    return Object.keys(expected).flatMap((key) => differences(expected[key], actual[key], `${at}/${key}`));
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.flatMap((item, index) => differences(item, actual[index], `${at}/${index}`));
  }
  // The yaml library alone reads a bare `.` (as in `build: .`) as a 1.1 float (NaN);
  // PyYAML and go-yaml keep it a string.
  if (typeof actual === 'number' && Number.isNaN(actual)) return [];
  return Object.is(expected, actual) ? [] : [`${at}: ${JSON.stringify(expected)} reads as ${JSON.stringify(actual)} in YAML 1.1`];
}

export function readYaml(relativePath: string): unknown {
  const docs = readYamlDocuments(relativePath);
  if (docs.length !== 1) throw new Error(`${relativePath}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

/** Files of one directory with the given extension, repository-relative and sorted. */
export function listFiles(relativeDir: string, extension: string): string[] {
  return readdirSync(path.join(REPO_ROOT, relativeDir))
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => path.posix.join(relativeDir, name));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
