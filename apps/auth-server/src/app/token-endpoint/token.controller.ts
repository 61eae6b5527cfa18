import { OAuthEndpointController } from '../http/oauth-endpoint';
import { TokenPipeline } from './token-pipeline';

/** RFC 6749 §3.2: (DPoP proof) → form → authenticated client → grant lookup → resource → grant handler. */
export class TokenController extends OAuthEndpointController({
  path: 'oauth2/token',
  // The token insert confirms the client in the same statement (TokenService.issue).
  confirmsClient: true,
  // RFC 8707 §2: `resource` may repeat.
  repeatable: ['resource'],
  summary: 'RFC 6749 §4.4 client credentials grant',
  responses: {
    200: '{"access_token","token_type":"Bearer"|"DPoP","expires_in","scope"}, Cache-Control: no-store',
    400: 'invalid_request, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target, invalid_dpop_proof',
    401: 'invalid_client',
  },
  steps: TokenPipeline,
  prepare: (pipeline, request) =>
    pipeline.prepare({
      headers: request.headers,
      body: request.body,
      requestUrl: `${request.protocol}://${request.host}${request.url.split('?')[0]}`,
    }),
  run: (pipeline, client, params, extras) => pipeline.run(client, params, extras),
}) {}
