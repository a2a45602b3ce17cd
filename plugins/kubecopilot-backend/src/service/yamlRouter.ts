import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { AuthorizedManifestService } from '../yaml/ManifestService';
import {
  parseManifestCheckRequest,
  parseManifestsQuery,
} from './request/parseYamlRequests';

/**
 * The YAML copilot's reads: `GET /yaml/manifests` (an entity's workloads as
 * manifests) and `POST /yaml/check` (checks and explanation of one, live or
 * edited). Edits become plans through `POST /plans {…, manifest}`.
 */
export function createYamlRouter(options: {
  httpAuth: HttpAuthService;
  manifests: AuthorizedManifestService;
}): express.Router {
  const { httpAuth, manifests } = options;
  const router = Router();

  router.get('/yaml/manifests', async (req, res) => {
    const { entityRef } = parseManifestsQuery(req.query);
    const credentials = await httpAuth.credentials(req);
    res.json(await manifests.listManifests(entityRef, { credentials }));
  });

  router.post('/yaml/check', async (req, res) => {
    const request = parseManifestCheckRequest(req.body);
    const credentials = await httpAuth.credentials(req);
    res.json(await manifests.check(request, { credentials }));
  });

  return router;
}
