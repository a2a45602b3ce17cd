import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { AlertService } from '../alerts/AlertService';
import type { AuthorizedAlertReader } from '../alerts/AuthorizedAlertReader';
import {
  parseAlertmanagerWebhook,
  parseListAlertsQuery,
} from './request/parseAlertRequests';

/** An Alertmanager notification holds up to 1000 alerts with their labels. */
export const MAX_ALERTS_BODY = '2mb';

export interface AlertsRouterOptions {
  httpAuth: HttpAuthService;
  alerts: AlertService;
  reader: AuthorizedAlertReader;
}

/**
 * `POST /alerts` (Alertmanager's webhook; service principals only — an
 * external access token set in Alertmanager's `http_config.authorization`)
 * and `GET /alerts?status=`.
 */
export function createAlertsRouter(
  options: AlertsRouterOptions,
): express.Router {
  const { httpAuth, alerts, reader } = options;
  const router = Router();

  router.post('/alerts', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const webhook = parseAlertmanagerWebhook(req.body);
    res.json(await alerts.receive(webhook));
  });

  router.get('/alerts', async (req, res) => {
    const query = parseListAlertsQuery(req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json({ items: await reader.list(query, { credentials }) });
  });

  return router;
}
