// Lint rules for the whole workspace. The module-boundary rule is the one that matters
// most: it keeps apps from importing each other and libraries from reaching "up".
import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules'] },
  {
    files: ['**/*.ts'],
    rules: {
      // A leading underscore marks a parameter a signature requires but the body ignores.
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          depConstraints: [
            // Apps are entry points: they compose libraries and are never imported.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            // Infrastructure checks may use any library but nothing may use them.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
          ],
        },
      ],
    },
  },
  {
    // Tests assert on values they just built; a failed assertion reports a missing one.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
