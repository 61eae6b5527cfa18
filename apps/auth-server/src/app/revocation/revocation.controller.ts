import { OAuthEndpointController } from '../http/oauth-endpoint';
import { RevocationService } from './revocation.service';

/** RFC 7009: form → authenticated caller → its own token revoked (anyone else's: nothing). */
export class RevocationController extends OAuthEndpointController({
  path: 'oauth2/revoke',
  // No statement here confirms the caller, so it is always read from Postgres.
  summary: 'RFC 7009 token revocation (by the client the token was issued to)',
  responses: {
    200: 'empty body, whether or not anything was revoked',
    400: 'invalid_request (missing token)',
    401: 'invalid_client',
  },
  steps: RevocationService,
  run: (revocation, caller, params) => revocation.revoke(caller, params),
}) {}
