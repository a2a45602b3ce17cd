/** Kubernetes-style API errors, rendered as `meta/v1 Status` bodies. */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Record<string, unknown> {
    return statusBody(this.code, this.reason, this.message, this.details);
  }
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  };
  if (details && Object.keys(details).length > 0) body.details = details;
  body.code = code;
  return body;
}

/** `pods "x" not found` (group-qualified for non-core groups: `deployments.apps "x" not found`). */
export function qualified(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const errors = {
  notFound(plural: string, group: string, name: string): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `${qualified(plural, group)} "${name}" not found`,
      { name, group: group || undefined, kind: plural },
    );
  },
  notFoundPath(): ApiError {
    return new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {
        causes: [
          { reason: 'UnexpectedServerResponse', message: '404 page not found' },
        ],
      },
    );
  },
  alreadyExists(plural: string, group: string, name: string): ApiError {
    return new ApiError(
      409,
      'AlreadyExists',
      `${qualified(plural, group)} "${name}" already exists`,
      { name, group: group || undefined, kind: plural },
    );
  },
  conflict(plural: string, group: string, name: string, why?: string): ApiError {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(plural, group)} "${name}": ${
        why ??
        'the object has been modified; please apply your changes to the latest version and try again'
      }`,
      { name, group: group || undefined, kind: plural },
    );
  },
  invalid(
    kind: string,
    group: string,
    name: string,
    causes: StatusCause[],
  ): ApiError {
    const list = causes
      .map(c => `${c.field ? `${c.field}: ` : ''}${c.message}`)
      .join(', ');
    return new ApiError(
      422,
      'Invalid',
      `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${
        causes.length > 1 ? `[${list}]` : list
      }`,
      {
        name,
        group: group || undefined,
        kind,
        causes: causes.map(c => ({
          reason: c.reason ?? 'FieldValueInvalid',
          message: c.message,
          field: c.field,
        })),
      },
    );
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(message: string): ApiError {
    return new ApiError(403, 'Forbidden', message);
  },
  methodNotAllowed(method: string): ApiError {
    return new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource`,
      { causes: [{ reason: 'MethodNotAllowed', message: method }] },
    );
  },
  notAcceptable(message: string): ApiError {
    return new ApiError(406, 'NotAcceptable', message);
  },
  gone(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  tooLarge(limit: number): ApiError {
    return new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: limit is ${limit}`,
    );
  },
  unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
        ', ',
      )}`,
      { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
    );
  },
  unprocessable(message: string): ApiError {
    return new ApiError(422, 'Invalid', message);
  },
  internal(message: string): ApiError {
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: ${message}`,
      { causes: [{ message }] },
    );
  },
};

/** Maps an HTTP status code to the reason kube-apiserver uses for it. */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'BadRequest';
  }
}
