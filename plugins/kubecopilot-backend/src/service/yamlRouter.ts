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
 * manifests), `POST /yaml/check` (checks and explanation of one, live or
 * edited) and `POST /yaml/explain` (the model's explanation of the same,
 * when one is configured). Edits become plans through `POST /plans {…, manifest}`.
 */
export function createYamlRouter(options: {
  httpAuth: HttpAuthService;
  manifests: AuthorizedManifestService;
  /** Per-caller limit of `POST /yaml/explain`, which may ask the model. */
  rateLimit?: express.RequestHandler;
}): express.Router {
  const { httpAuth, manifests } = options;
  const passThrough: express.RequestHandler = (_req, _res, next) => next();
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

  router.post(
    '/yaml/explain',
    options.rateLimit ?? passThrough,
    async (req, res) => {
      const request = parseManifestCheckRequest(req.body);
      const credentials = await httpAuth.credentials(req);
      res.json(await manifests.explain(request, { credentials }));
    },
  );

  return router;
}
