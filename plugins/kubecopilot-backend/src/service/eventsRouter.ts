import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { EventsService } from '../events/types';
import { parseEventsQuery } from './request/parseEventsQuery';

/** `GET /events?entityRef=&since=&type=&limit=`: an entity's events timeline. */
export function createEventsRouter(options: {
  httpAuth: HttpAuthService;
  events: EventsService;
}): express.Router {
  const router = Router();
  router.get('/events', async (req, res) => {
    const query = parseEventsQuery(req.query);
    const credentials = await options.httpAuth.credentials(req);
    res.json(await options.events.getEvents(query, { credentials }));
  });
  return router;
}
