import { OAuthEndpointController } from '../http/oauth-endpoint';
import { IntrospectionService } from './introspection.service';

/** RFC 7662: form → authenticated caller → may it introspect? → the token's state. */
export class IntrospectionController extends OAuthEndpointController({
  path: 'oauth2/introspect',
  // The token read confirms the caller in the same statement (TokenService.findForCaller).
  confirmsClient: true,
  summary: 'RFC 7662 token introspection (callers: clients allowed to introspect)',
  responses: {
    200: 'active token: active, sub, aud, nbf, scope, iss, exp, iat, jti, client_id, token_type; else {"active":false}',
    401: 'invalid_client',
    403: 'access_denied: the client may not introspect',
  },
  steps: IntrospectionService,
  run: (introspection, caller, params) => introspection.introspect(caller, params),
}) {}
