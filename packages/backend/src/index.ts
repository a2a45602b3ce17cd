/*
 * The Backstage backend that runs KubeCopilot for the demo and the
 * end-to-end tests. Adopters add the same two KubeCopilot `backend.add` lines
 * to their own backend.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Auth. The demo's guest and reviewer providers, only when
// app-config.demo.yaml configures them. See README "Sign-in".
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./demoSignInProviders'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// Permissions, with KubeCopilot's example policy.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// KubeCopilot.
backend.add(import('@kubecopilot/backstage-plugin-kubecopilot-backend'));
backend.add(
  import('@kubecopilot/backstage-plugin-scaffolder-backend-module-kubecopilot'),
);
// KubeCopilot's actions (diagnose, draft a plan, read plans) as MCP tools for
// AI assistants, at /api/mcp-actions/v1 (README "Use KubeCopilot from your AI
// assistant"). Agents draft; only people approve and execute.
backend.add(import('@backstage/plugin-mcp-actions-backend'));
// The worked example of KubeCopilot's extension points (README "Extending
// KubeCopilot"): a certificate expiry analyzer and a change-freeze rule.
backend.add(
  import('@kubecopilot/backstage-plugin-kubecopilot-backend-module-example'),
);

// A plugin or module that fails to start (e.g. the demo reviewer refusing
// production) would otherwise leave the process serving without it; exit so
// the deployment reports the failure instead of running half a backend.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error('Backend startup failed', error);
  process.exit(1);
});
