import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the approval inbox is mounted. @public */
export const inboxRouteRef = createRouteRef({ id: 'kubecopilot-inbox' });
