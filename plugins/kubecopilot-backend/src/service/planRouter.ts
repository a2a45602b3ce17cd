import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { AuthorizedAuditReader } from '../audit/AuthorizedAuditReader';
import { PlanExecutor } from '../execution/PlanExecutor';
import { PlanService } from '../plans/PlanService';
import {
  parseApproveRequest,
  parseAuditQuery,
  parseCreatePlanRequest,
  parseIdempotencyKey,
  parsePlanId,
  parseRejectRequest,
} from './request/parsePlanRequests';

export interface PlanRouterOptions {
  httpAuth: HttpAuthService;
  plans: PlanService;
  executor: PlanExecutor;
  audit: AuthorizedAuditReader;
  /** Per-caller limit of `POST /plans` (see `limits/rateLimit`). */
  rateLimit?: express.RequestHandler;
}

/** Stands in for an absent rate limit. */
const passThrough: express.RequestHandler = (_req, _res, next) => next();

/** Plan writes and the audit log. Reads of plans live in `router.ts`. */
export function createPlanRouter(options: PlanRouterOptions): express.Router {
  const { httpAuth, plans, executor, audit } = options;
  const router = Router();
  const user = (req: express.Request) => httpAuth.credentials(req, { allow: ['user'] });

  router.post('/plans', options.rateLimit ?? passThrough, async (req, res) => {
    const request = parseCreatePlanRequest(req.body);
    const credentials = await user(req);
    res.status(201).json(await plans.createPlan(request, { credentials }));
  });

  router.post('/plans/:id/approve', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const input = parseApproveRequest(req.body);
    res.json(await plans.approve(id, input, { credentials: await user(req) }));
  });

  router.post('/plans/:id/reject', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const input = parseRejectRequest(req.body);
    res.json(await plans.reject(id, input, { credentials: await user(req) }));
  });

  router.post('/plans/:id/execute', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const idempotencyKey = parseIdempotencyKey(req.header('idempotency-key'));
    res.json(await executor.execute(id, { idempotencyKey }, { credentials: await user(req) }));
  });

  router.post('/plans/:id/revert', async (req, res) => {
    const id = parsePlanId(req.params.id);
    res.json(await executor.revert(id, { credentials: await user(req) }));
  });

  router.get('/audit', async (req, res) => {
    const query = parseAuditQuery(req.query);
    res.json(await audit.list(query, { credentials: await httpAuth.credentials(req) }));
  });

  router.get('/audit/verify', async (req, res) => {
    res.json(await audit.verify({ credentials: await httpAuth.credentials(req) }));
  });

  return router;
}
