import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { AuthorizedFindingReader } from '../findings/AuthorizedFindingReader';
import { parseFindingsQuery } from './request/parseFindingsQuery';

export interface FindingsRouterOptions {
  httpAuth: HttpAuthService;
  findings: AuthorizedFindingReader;
}

/** `GET /findings`: what the findings scan keeps, newest last-seen first. */
export function createFindingsRouter(
  options: FindingsRouterOptions,
): express.Router {
  const { httpAuth, findings } = options;
  const router = Router();

  router.get('/findings', async (req, res) => {
    const query = parseFindingsQuery(req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json({ items: await findings.list(query, { credentials }) });
  });

  return router;
}
