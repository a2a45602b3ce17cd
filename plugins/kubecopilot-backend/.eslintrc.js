module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Benchmarks are dev-only scripts run from the repo (npm run bench):
      // they may use dev dependencies and paths relative to the sources.
      files: ['src/bench/**'],
      rules: {
        '@backstage/no-undeclared-imports': 'off',
        'no-restricted-syntax': 'off',
      },
    },
  ],
});
