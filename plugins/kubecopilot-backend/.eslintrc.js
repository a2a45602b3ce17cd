module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Benchmarks and the eval harness are dev-only scripts run from the
      // repo (npm run bench, npm run eval): they may use dev dependencies and
      // paths relative to the sources.
      files: ['src/bench/**', 'src/eval/**'],
      rules: {
        '@backstage/no-undeclared-imports': 'off',
        'no-restricted-syntax': 'off',
      },
    },
  ],
});
