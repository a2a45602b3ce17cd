import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the approval inbox is mounted. @public */
export const inboxRouteRef = createRouteRef({ id: 'kubecopilot-inbox' });

/** Where the KubeCopilot home is mounted (the app puts it at `/`). @public */
export const homeRouteRef = createRouteRef({ id: 'kubecopilot-home' });

/** Where the portal-wide findings page is mounted. @public */
export const findingsRouteRef = createRouteRef({ id: 'kubecopilot-findings' });
