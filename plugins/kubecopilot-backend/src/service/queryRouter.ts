import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { QueryService } from '../query/QueryService';
import { parseEntityRefQuery } from './request/parseEntityRefQuery';
import { parseQuery } from './request/parseQuery';
import { MAX_INTENT_LENGTH } from './request/parsePlanRequests';

const schema = z
  .object({
    entityRef: z.string().min(1).max(512),
    question: z
      .string()
      .trim()
      .min(1, 'question must not be empty')
      .max(MAX_INTENT_LENGTH, `question must be at most ${MAX_INTENT_LENGTH} characters`),
  })
  .strict();

/** Stands in for an absent rate limit. */
const passThrough: express.RequestHandler = (_req, _res, next) => next();

/** `POST /query`: the prompt bar's read questions. */
export function createQueryRouter(options: {
  httpAuth: HttpAuthService;
  queries: QueryService;
  /** Per-caller limit of `POST /query` (see `limits/rateLimit`). */
  rateLimit?: express.RequestHandler;
}): express.Router {
  const router = Router();
  router.post('/query', options.rateLimit ?? passThrough, async (req, res) => {
    const body = parseQuery(schema, req.body ?? {});
    const entityRef = stringifyEntityRef(parseEntityRefQuery(body.entityRef));
    const credentials = await options.httpAuth.credentials(req, { allow: ['user'] });
    res.json(await options.queries.query(entityRef, body.question, { credentials }));
  });
  return router;
}
