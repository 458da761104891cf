import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // the domain library stays pure: no Nest, no I/O, no clock, no randomness
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'better-sqlite3', 'kafkajs', 'fs', 'node:*', 'crypto', '@coord/*'] }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'time arrives with the command' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'time arrives with the command' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'ids arrive with the command' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'bench/**/*.ts', 'test/**/*.ts', '**/testing/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
