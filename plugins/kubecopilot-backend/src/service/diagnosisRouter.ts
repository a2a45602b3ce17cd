import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { DiagnosisService } from '../diagnosis/types';
import {
  parseCreateDiagnosisRequest,
  parseListDiagnosesQuery,
} from './request/parseDiagnosisRequests';

export interface DiagnosisRouterOptions {
  httpAuth: HttpAuthService;
  diagnoses: DiagnosisService;
  /** Per-caller limit of `POST /diagnoses` (see `limits/rateLimit`). */
  rateLimit?: express.RequestHandler;
}

/** A diagnosis request is an entity ref and a target: a few hundred bytes. */
export const MAX_DIAGNOSIS_BODY = '8kb';

/** Stands in for an absent rate limit. */
const passThrough: express.RequestHandler = (_req, _res, next) => next();

/**
 * `POST /diagnoses` and `GET /diagnoses`. Thin: parse, take the caller's
 * credentials (reads are made on their behalf), call the service. Errors are
 * `@backstage/errors`, mapped by the root error handler.
 */
export async function createDiagnosisRouter(
  options: DiagnosisRouterOptions,
): Promise<express.Router> {
  const { httpAuth, diagnoses } = options;
  const router = Router();

  router.post(
    '/diagnoses',
    express.json({ limit: MAX_DIAGNOSIS_BODY }),
    options.rateLimit ?? passThrough,
    async (req, res) => {
      const { entityRef, target } = parseCreateDiagnosisRequest(req.body);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(await diagnoses.diagnose(entityRef, { target, credentials }));
    },
  );

  router.get('/diagnoses', async (req, res) => {
    const { entityRef, limit } = parseListDiagnosesQuery(req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json({
      items: await diagnoses.listDiagnoses(entityRef, { limit, credentials }),
    });
  });

  return router;
}
