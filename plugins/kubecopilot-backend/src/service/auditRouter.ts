import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { AuthorizedAuditReader } from '../audit/AuthorizedAuditReader';
import { parseAuditQuery } from './request/parseAuditQuery';

export interface AuditRouterOptions {
  httpAuth: HttpAuthService;
  audit: AuthorizedAuditReader;
}

/** `GET /audit` (one page, newest first) and `GET /audit/verify`. */
export function createAuditRouter(options: AuditRouterOptions): express.Router {
  const { httpAuth, audit } = options;
  const router = Router();

  router.get('/audit', async (req, res) => {
    const query = parseAuditQuery(req.query);
    const credentials = await httpAuth.credentials(req);
    res.json(await audit.list(query, { credentials }));
  });

  router.get('/audit/verify', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await audit.verify({ credentials }));
  });

  return router;
}
