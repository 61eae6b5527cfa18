import { OAuthEndpointController } from '../http/oauth-endpoint';
import { TokenPipeline } from './token-pipeline';

/** RFC 6749 §3.2: form → authenticated client → grant lookup → grant handler. */
export class TokenController extends OAuthEndpointController({
  path: 'oauth2/token',
  // The token insert confirms the client in the same statement (TokenService.issue).
  confirmsClient: true,
  summary: 'RFC 6749 §4.4 client credentials grant',
  responses: {
    200: '{"access_token","token_type":"Bearer","expires_in","scope"}, Cache-Control: no-store',
    400: 'invalid_request, unauthorized_client, unsupported_grant_type, invalid_scope',
    401: 'invalid_client',
  },
  steps: TokenPipeline,
  run: (pipeline, client, params) => pipeline.run(client, params),
}) {}
