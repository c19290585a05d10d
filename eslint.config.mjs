import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', '.data/**', 'lib/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts']),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.property.name='Pool'], NewExpression[callee.name='Pool']",
          message: 'Use createPool() from @/lib/db/create-pool: a pool without an error listener crashes the process when the server drops an idle connection.',
        },
      ],
    },
  },
  { files: ['lib/db/create-pool.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['components/**', 'app/**'],
    ignores: ['components/ui/use-workspace-action-state.tsx', 'components/auth/sign-in-form.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'react',
              importNames: ['useActionState'],
              message:
                'Use useWorkspaceActionState from @/components/ui/use-workspace-action-state: it sends the workspace the page was rendered for, which every console action requires.',
            },
          ],
        },
      ],
    },
  },
]);
