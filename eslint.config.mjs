// Lint rules for the whole workspace. The module-boundary rule is the one that matters
// most: it keeps apps from importing each other, libraries from reaching "up", and
// runtime code (services, tracing libraries) from importing verification code.
// See docs/decisions/0004-test-targets-and-boundaries.md.
import nx from '@nx/eslint-plugin';

// Axis 1, `type:*`: the layer. Apps compose libraries; a library never reaches up.
const typeConstraints = [
  // Apps are entry points: they compose libraries and are never imported.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  // Infrastructure checks may use any library but nothing may use them.
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
];

// Axis 2, `scope:*`: what ships. Runtime code (services and the libraries they load)
// uses only runtime code; verification code (trace-query, infra's tests) may use both.
const verificationMayUseRuntime = {
  sourceTag: 'scope:verification',
  onlyDependOnLibsWithTags: ['scope:runtime', 'scope:verification'],
};
const runtimeOnly = { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:runtime'] };
// In test code of a runtime project (specs, benchmarks, its own `testing` entry point)
// runtime code may use verification code: that is what the tests are for.
const runtimeTestsMayVerify = {
  sourceTag: 'scope:runtime',
  onlyDependOnLibsWithTags: ['scope:runtime', 'scope:verification'],
};

// Test code may use any library's public API whatever its layer (a util library's test
// reads traces back through the data-access trace-query); apps stay out of reach.
const testTypeConstraints = ['type:feature', 'type:data-access', 'type:util', 'type:infra'].map((sourceTag) => ({
  sourceTag,
  onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'],
}));

const moduleBoundaries = (layerConstraints, scopeConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    depConstraints: [...layerConstraints, ...scopeConstraints],
  },
];

// Tags work per project, not per entry point, so `@mqtrace/<lib>/testing` (fakes and
// in-memory exporters shipped by a runtime library) is banned from non-test files by path.
const noTestingEntryPoints = [
  'error',
  {
    patterns: [
      {
        regex: '^@mqtrace/[^/]+/testing(/.*)?$',
        message: 'Testing entry points are for *.spec.ts files, benchmarks and other testing entry points only.',
      },
      {
        regex: '^\\.{1,2}/(.*/)?testing(/.*)?$',
        message: 'A testing folder is for *.spec.ts files, benchmarks and other testing entry points only.',
      },
    ],
  },
];

// Files that are test code even though they live in a runtime project.
const TEST_CODE = ['**/*.spec.ts', '**/bench/**/*.ts', '**/src/testing/**/*.ts', '**/src/testing-fixtures/**/*.ts', 'infra/tests/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules'] },
  {
    files: ['**/*.ts'],
    rules: {
      // A leading underscore marks a parameter a signature requires but the body ignores.
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': moduleBoundaries(typeConstraints, [runtimeOnly, verificationMayUseRuntime]),
      'no-restricted-imports': noTestingEntryPoints,
    },
  },
  {
    // Test code: no app imports, but a runtime project's tests may use verification code.
    files: TEST_CODE,
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(testTypeConstraints, [runtimeTestsMayVerify, verificationMayUseRuntime]),
      'no-restricted-imports': 'off',
    },
  },
  {
    // Tests assert on values they just built; a failed assertion reports a missing one.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
