import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { PlanServices } from '../planServices';
import { PlanReader } from '../plans/types';
import { parseListPlansQuery } from './request/parseListPlansQuery';
import {
  parseApproveRequest,
  parseCreateBlueGreenPlanRequest,
  parseCreateCanaryPlanRequest,
  parseCreatePlanRequest,
  parseStepId,
  parseIdempotencyKey,
  parsePlanId,
  parseRejectRequest,
} from './request/parsePlanRequests';

export interface PlanRouterOptions {
  httpAuth: HttpAuthService;
  /** Plan reads, with the read permission applied. */
  reader: PlanReader;
  services: Pick<
    PlanServices,
    | 'drafter'
    | 'decisions'
    | 'canaries'
    | 'blueGreens'
    | 'executor'
    | 'reverter'
    | 'stepDecisions'
  >;
  /** Per-caller limit of `POST /plans` (see `limits/rateLimit`). */
  rateLimit?: express.RequestHandler;
}

/** Stands in for an absent rate limit. */
const passThrough: express.RequestHandler = (_req, _res, next) => next();

/** Every `/plans` route: reads, drafts, decisions, execution, revert, steps. */
export function createPlanRouter(options: PlanRouterOptions): express.Router {
  const { httpAuth } = options;
  const { drafter, decisions, canaries, blueGreens, executor, reverter, stepDecisions } =
    options.services;
  const router = Router();
  const user = (req: express.Request) => httpAuth.credentials(req, { allow: ['user'] });

  router.get('/plans', async (req, res) => {
    const query = parseListPlansQuery(req.query);
    const credentials = await httpAuth.credentials(req);
    res.json(await options.reader.listPlans(query, { credentials }));
  });

  router.get('/plans/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await options.reader.getPlan(req.params.id, { credentials }));
  });

  router.post('/plans', options.rateLimit ?? passThrough, async (req, res) => {
    const request = parseCreatePlanRequest(req.body);
    res
      .status(201)
      .json(await drafter.createPlan(request, { credentials: await user(req) }));
  });

  router.post('/plans/canary', options.rateLimit ?? passThrough, async (req, res) => {
    const request = parseCreateCanaryPlanRequest(req.body);
    res.status(201).json(await canaries.create(request, { credentials: await user(req) }));
  });

  router.post('/plans/blue-green', options.rateLimit ?? passThrough, async (req, res) => {
    const request = parseCreateBlueGreenPlanRequest(req.body);
    res.status(201).json(await blueGreens.create(request, { credentials: await user(req) }));
  });

  router.post('/plans/:id/approve', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const input = parseApproveRequest(req.body);
    res.json(await decisions.approve(id, input, { credentials: await user(req) }));
  });

  router.post('/plans/:id/reject', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const input = parseRejectRequest(req.body);
    res.json(await decisions.reject(id, input, { credentials: await user(req) }));
  });

  router.post('/plans/:id/execute', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const idempotencyKey = parseIdempotencyKey(req.header('idempotency-key'));
    const plan = await executor.execute(id, { idempotencyKey }, { credentials: await user(req) });
    // A multi-step plan answers once claimed: its steps run in the background.
    res.status(plan.status === 'executing' ? 202 : 200).json(plan);
  });

  router.post('/plans/:id/steps/:stepId/confirm', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const stepId = parseStepId(req.params.stepId);
    const input = parseApproveRequest(req.body);
    res.json(await stepDecisions.confirmStep(id, stepId, input, { credentials: await user(req) }));
  });

  router.post('/plans/:id/steps/:stepId/decline', async (req, res) => {
    const id = parsePlanId(req.params.id);
    const stepId = parseStepId(req.params.stepId);
    const input = parseRejectRequest(req.body);
    res.json(await stepDecisions.declineStep(id, stepId, input, { credentials: await user(req) }));
  });

  router.post('/plans/:id/revert', async (req, res) => {
    const id = parsePlanId(req.params.id);
    // 202: the revert is high risk on its own and now waits for a second
    // person as plan `revertPlanId`; 200: it ran.
    const { plan, revertPlan } = await reverter.revert(id, {
      credentials: await user(req),
    });
    res.status(revertPlan ? 202 : 200).json(plan);
  });

  return router;
}
