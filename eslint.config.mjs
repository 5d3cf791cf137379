// The linter that `npm test` runs first. It checks what the compiler cannot: promises nobody
// awaits or that land where a callback's result is ignored, and the arrows between the parts:
// apps and scripts use libs only through `@app/<lib>`; no lib imports an app or scripts/, no app
// imports scripts/ or another app, and nothing imports a lib by a relative path.
import tseslint from 'typescript-eslint';

const INTO_LIBS = {
  regex: '^\\.{1,2}/(.*/)?libs(/|$)',
  message: 'a lib is imported through its alias @app/<lib> (its index.ts), never by a relative path',
};
const INTO_APPS = {
  regex: '^\\.{1,2}/(.*/)?apps(/|$)',
  message: 'nothing imports an app: what two parts need belongs in a lib',
};

const restrict = (...patterns) => ['error', { patterns }];

/**
 * Files `depth` folders below `<apps|libs>/<name>/src` may not climb out of their own src: that
 * is another app, another lib by path, or scripts/ (whose command lines nothing imports). A
 * regex cannot know the file's depth, hence one block per depth.
 */
const stayInside = (kind, depth) => ({
  files: [`${kind}/*/src/${'*/'.repeat(depth)}*.ts`],
  rules: {
    'no-restricted-imports': restrict(INTO_LIBS, {
      regex: `^(\\.\\./){${depth + 1}}`,
      message:
        kind === 'libs'
          ? 'a lib stays inside its own src: another lib through @app/<lib>; never an app or scripts/'
          : 'an app stays inside its own src: libs through @app/<lib>; never another app or scripts/',
    }),
  },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench-results/', '.cluster/', '.services/'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      // Type information only for the promise rules; projectService reads tsconfig.json.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'no-restricted-imports': restrict(INTO_LIBS),
    },
  },
  {
    // Code and comments wrap at 140; a message stays whole on its line, so that grep finds it.
    rules: {
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  ...[0, 1, 2].flatMap((depth) => [stayInside('apps', depth), stayInside('libs', depth)]),
  {
    files: ['scripts/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(INTO_LIBS, INTO_APPS) },
  },
);
