import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import express from 'express';
import request from 'supertest';
import { DiagnosisService } from '../diagnosis/types';
import { createDiagnosisRouter } from './diagnosisRouter';

const diagnosis: Diagnosis = {
  id: 'd-1',
  entityRef: 'component:default/checkout',
  createdAt: '2026-11-26T10:00:00.000Z',
  source: 'rules',
  summary: 'No problems found.',
  findings: [],
  recommendations: [],
  errors: [],
};

async function app(
  diagnoses: DiagnosisService,
  httpAuth = mockServices.httpAuth(),
) {
  const router = await createDiagnosisRouter({ httpAuth, diagnoses });
  return express().use(router).use(mockErrorHandler());
}

function service(): jest.Mocked<DiagnosisService> {
  return {
    diagnose: jest.fn(
      async (..._args: Parameters<DiagnosisService['diagnose']>) => diagnosis,
    ),
    listDiagnoses: jest.fn(
      async (..._args: Parameters<DiagnosisService['listDiagnoses']>) => [
        diagnosis,
      ],
    ),
  };
}

describe('createDiagnosisRouter', () => {
  it('POST /diagnoses diagnoses as the caller and answers the Diagnosis', async () => {
    const diagnoses = service();
    const res = await request(await app(diagnoses))
      .post('/diagnoses')
      .send({
        entityRef: 'component:checkout',
        target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
      });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(diagnosis);
    expect(diagnoses.diagnose).toHaveBeenCalledWith(
      'component:default/checkout',
      {
        target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        credentials: mockCredentials.user(),
      },
    );
  });

  it('GET /diagnoses lists the recent diagnoses of an entity', async () => {
    const diagnoses = service();
    const res = await request(await app(diagnoses)).get(
      '/diagnoses?entityRef=component:default/checkout&limit=5',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [diagnosis] });
    expect(diagnoses.listDiagnoses).toHaveBeenCalledWith(
      'component:default/checkout',
      {
        limit: 5,
        credentials: mockCredentials.user(),
      },
    );
  });

  it('answers 400 for bad input and 413 for an oversized body, without calling the service', async () => {
    const diagnoses = service();
    const server = await app(diagnoses);
    const bad = await request(server)
      .post('/diagnoses')
      .send({ entityRef: 'checkout' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/Invalid entityRef/),
    });
    expect((await request(server).get('/diagnoses')).status).toBe(400);
    const huge = await request(server)
      .post('/diagnoses')
      .send({
        entityRef: 'component:default/checkout',
        padding: 'x'.repeat(20_000),
      });
    expect(huge.status).toBe(413);
    expect(diagnoses.diagnose).not.toHaveBeenCalled();
  });

  it('maps the service errors: 403, 404, and 401 without credentials', async () => {
    const diagnoses = service();
    diagnoses.diagnose.mockRejectedValueOnce(
      new NotAllowedError('Not allowed to diagnose'),
    );
    diagnoses.diagnose.mockRejectedValueOnce(
      new NotFoundError("Entity 'component:default/x' not found"),
    );
    const server = await app(diagnoses);
    const body = { entityRef: 'component:default/x' };
    expect((await request(server).post('/diagnoses').send(body)).status).toBe(
      403,
    );
    expect((await request(server).post('/diagnoses').send(body)).status).toBe(
      404,
    );

    const anonymous = await app(
      diagnoses,
      mockServices.httpAuth({ defaultCredentials: mockCredentials.none() }),
    );
    expect(
      (await request(anonymous).post('/diagnoses').send(body)).status,
    ).toBe(401);
  });
});
