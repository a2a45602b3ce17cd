module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // KubeCopilot's extension points are exported by the backend plugin
    // package itself (there is no -node library yet), so a module imports
    // them from there.
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
