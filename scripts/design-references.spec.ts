import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@app/cluster';

// Code, tests and docs cite docs/DESIGN.md as `DESIGN §n` (also `DESIGN §2/§3`). Every n must be
// a `## n. …` heading there, or the citation points nowhere.

const DESIGN_FILE = join(REPO_ROOT, 'docs', 'DESIGN.md');
/** Where citations live: sources, tests, scripts, docs and the deployment files. */
const SCANNED_DIRS = ['apps', 'libs', 'scripts', 'test', 'docs', 'k8s'];
const SCANNED_ROOT_FILES = ['README.md', 'BENCHMARKS.md', 'docker-compose.yml', 'Dockerfile'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'bench-results', '.cluster', '.services', '.git']);
const TEXT_FILE = /\.(ts|js|md|ya?ml|json)$|^Dockerfile$/;
/** This file names the citation form in its own comments and patterns; it cites nothing. */
const SELF = relative(REPO_ROOT, __filename);
/** Fewer than this means the scan went wrong (a moved folder, a broken pattern), not that all is well. */
const MIN_CITATIONS = 20;

interface Citation {
  file: string;
  line: number;
  text: string;
  sections: number[];
}

function scannedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && TEXT_FILE.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const dir of SCANNED_DIRS) {
    const path = join(REPO_ROOT, dir);
    if (existsSync(path) && statSync(path).isDirectory()) walk(path);
  }
  for (const file of SCANNED_ROOT_FILES) {
    const path = join(REPO_ROOT, file);
    if (existsSync(path)) files.push(path);
  }
  return files.filter((file) => relative(REPO_ROOT, file) !== SELF).sort();
}

/** `DESIGN §4`, `DESIGN §2/§3`, `DESIGN.md §5`, `docs/DESIGN.md §1` → the section numbers. */
export function citationsIn(text: string): number[][] {
  const found: number[][] = [];
  for (const match of text.matchAll(/\bDESIGN(?:\.md)? §(\d+(?:\/§\d+)*)/g)) {
    found.push(match[1].split('/§').map(Number));
  }
  return found;
}

/** A mention of DESIGN that names no section (`What DESIGN promises`): it cites nothing checkable. */
export function vagueMentionsIn(text: string): number {
  return [...text.matchAll(/\bDESIGN\b(?!\.md\b| §)/g)].length;
}

/** The numbers of the `## n. Title` headings. */
export function designSections(markdown: string): number[] {
  return [...markdown.matchAll(/^## (\d+)\. \S/gm)].map((match) => Number(match[1]));
}

function collect(): { citations: Citation[]; vague: string[] } {
  const citations: Citation[] = [];
  const vague: string[] = [];
  for (const file of scannedFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const where = `${relative(REPO_ROOT, file)}:${index + 1}`;
      for (const sections of citationsIn(text))
        citations.push({ file: relative(REPO_ROOT, file), line: index + 1, text: text.trim(), sections });
      if (vagueMentionsIn(text) > 0) vague.push(`${where}: ${text.trim()}`);
    });
  }
  return { citations, vague };
}

describe('citation patterns', () => {
  it('reads single and combined citations, with or without the file name', () => {
    expect(citationsIn('see DESIGN §4, and DESIGN §2/§3; docs/DESIGN.md §5')).toEqual([[4], [2, 3], [5]]);
    expect(citationsIn('DESIGN §n is the form; DESIGNS §1 is not one')).toEqual([]);
  });

  it('tells a citation from a mention that names no section', () => {
    expect(vagueMentionsIn('What DESIGN promises operators')).toBe(1);
    expect(vagueMentionsIn('DESIGN §4 and [docs/DESIGN.md](docs/DESIGN.md) and `DESIGN §n`')).toBe(0);
  });

  it('reads the section headings', () => {
    expect(designSections('# t\n## 1. One\ntext ## 9. not\n## 2. Two\n### 3. sub\n')).toEqual([1, 2]);
  });
});

describe('DESIGN citations', () => {
  const design = readFileSync(DESIGN_FILE, 'utf8');
  const sections = designSections(design);
  const { citations, vague } = collect();

  it('finds the design document numbered 1, 2, 3, … without gaps', () => {
    expect(sections.length).toBeGreaterThanOrEqual(5);
    expect(sections).toEqual(sections.map((_, index) => index + 1));
  });

  it(`finds the citations in the code, tests and docs (at least ${MIN_CITATIONS})`, () => {
    expect(citations.length).toBeGreaterThanOrEqual(MIN_CITATIONS);
    // Each of these sections is cited today; a scan that misses them all has lost its way.
    const cited = new Set(citations.flatMap((citation) => citation.sections));
    expect([...cited]).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
  });

  it('resolves every cited section to a heading of docs/DESIGN.md', () => {
    const unresolved = citations
      .filter((citation) => citation.sections.some((section) => !sections.includes(section)))
      .map((citation) => `${citation.file}:${citation.line}: §${citation.sections.join('/§')} in "${citation.text}"`);
    if (unresolved.length > 0) {
      throw new Error(
        `DESIGN citations without a "## n." heading in docs/DESIGN.md (headings: ${sections.join(', ')}):\n  ${unresolved.join('\n  ')}`,
      );
    }
  });

  it('has no mention of DESIGN that names no section', () => {
    if (vague.length > 0) {
      throw new Error(`say which section ("DESIGN §n") or link docs/DESIGN.md:\n  ${vague.join('\n  ')}`);
    }
  });
});
