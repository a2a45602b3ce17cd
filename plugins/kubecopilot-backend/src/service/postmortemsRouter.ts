import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { PostmortemService } from '../postmortems/PostmortemService';
import {
  parseCreatePostmortemRequest,
  parseGetPostmortemQuery,
  parseListPostmortemsQuery,
  parseUpdatePostmortemRequest,
} from './request/parsePostmortemRequests';

export interface PostmortemsRouterOptions {
  httpAuth: HttpAuthService;
  postmortems: PostmortemService;
}

/**
 * `POST /postmortems`, `GET /postmortems?entityRef=`,
 * `GET /postmortems/:id` (`?format=markdown`, `?version=`) and
 * `PUT /postmortems/:id` (a new version of the edited Markdown).
 */
export function createPostmortemsRouter(
  options: PostmortemsRouterOptions,
): express.Router {
  const { httpAuth, postmortems } = options;
  const router = Router();
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/postmortems', async (req, res) => {
    const request = parseCreatePostmortemRequest(req.body);
    res
      .status(201)
      .json(
        await postmortems.create(request, {
          credentials: await credentials(req),
        }),
      );
  });

  router.get('/postmortems', async (req, res) => {
    const { entityRef } = parseListPostmortemsQuery(req.query);
    res.json({
      items: await postmortems.list(entityRef, {
        credentials: await credentials(req),
      }),
    });
  });

  router.get('/postmortems/:id', async (req, res) => {
    const { format, version } = parseGetPostmortemQuery(req.query);
    const postmortem = await postmortems.get(req.params.id, {
      credentials: await credentials(req),
      version,
    });
    if (format === 'markdown') {
      res
        .type('text/markdown; charset=utf-8')
        .set(
          'Content-Disposition',
          `inline; filename="postmortem-${postmortem.id}-v${postmortem.version}.md"`,
        )
        .send(postmortem.markdown);
      return;
    }
    res.json(postmortem);
  });

  router.put('/postmortems/:id', async (req, res) => {
    const request = parseUpdatePostmortemRequest(req.body);
    res.json(
      await postmortems.update(req.params.id, request, {
        credentials: await credentials(req),
      }),
    );
  });

  return router;
}
