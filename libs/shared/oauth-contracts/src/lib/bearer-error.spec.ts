import {
  BearerError,
  DpopProofRefusedError,
  InsufficientScopeError,
  InvalidBearerRequestError,
  InvalidTokenError,
  MissingBearerTokenError,
} from './bearer-error';
import { ProtocolError } from './protocol-error';

describe('BearerError: the RFC 6750 §3 challenge a resource server sends', () => {
  it('no token at all → `Bearer` with the realm and no error (§3.1)', () => {
    expect(BearerError.missingToken().challenge('ms-system')).toBe('Bearer realm="ms-system"');
    expect(BearerError.missingToken().challenge()).toBe('Bearer');
    expect(BearerError.missingToken().status).toBe(401);
  });

  it('invalid_token → 401 with error and error_description', () => {
    const error = BearerError.invalidToken('the access token expired');
    expect(error.status).toBe(401);
    expect(error.challenge('ms-system')).toBe(
      'Bearer realm="ms-system", error="invalid_token", error_description="the access token expired"',
    );
    expect(error.toJSON()).toEqual({ error: 'invalid_token', error_description: 'the access token expired' });
  });

  it('insufficient_scope → 403 naming the scope the resource needs', () => {
    const error = BearerError.insufficientScope('country.read');
    expect(error.status).toBe(403);
    expect(error.challenge()).toBe(
      'Bearer error="insufficient_scope", error_description="the access token lacks the required scope", scope="country.read"',
    );
  });

  it("cannot break out of the quoted description: it is in RFC 6749 §5.2's charset, like every error_description", () => {
    expect(new InvalidTokenError('a "quoted" \\ value').challenge()).toBe(
      'Bearer error="invalid_token", error_description="a \'quoted\' / value"',
    );
  });

  it('is one family on the OAuthError base, with an options object', () => {
    const error = new InvalidTokenError('the access token expired', { reason: 'exp 17' });
    expect(error).toBeInstanceOf(BearerError);
    expect(error).toBeInstanceOf(ProtocolError);
    expect([error.name, error.reason]).toEqual(['InvalidTokenError', 'exp 17']);
    expect(new InsufficientScopeError('a b').requiredScope).toBe('a b');
    expect(new MissingBearerTokenError().toJSON()).toEqual({ error: 'invalid_request', error_description: 'missing bearer token' });
    expect(new InvalidBearerRequestError('malformed Authorization header').status).toBe(400);
  });

  it('keeps the logged reason out of the body', () => {
    const error = BearerError.invalidToken('the access token is invalid', 'signature by unknown kid "k1"');
    expect(JSON.stringify(error.toJSON())).not.toContain('k1');
  });
});

describe('BearerError: RFC 9449 §7.1 DPoP challenges and RFC 9728 §5.1 resource_metadata', () => {
  const advertised = { resourceMetadata: 'http://rs/.well-known/oauth-protected-resource/rs', dpopAlgs: ['ES256', 'EdDSA'] };

  it('no token → a plain Bearer and a DPoP challenge naming the accepted algorithms', () => {
    expect(BearerError.missingToken().advertise(advertised).challenges('rs')).toEqual([
      'Bearer realm="rs", resource_metadata="http://rs/.well-known/oauth-protected-resource/rs"',
      'DPoP realm="rs", algs="ES256 EdDSA"',
    ]);
  });

  it('a DPoP request that fails → the error sits on the DPoP challenge, Bearer stays plain', () => {
    const [bearer, dpop] = BearerError.invalidToken('the access token is invalid').onScheme('DPoP').advertise(advertised).challenges();
    expect(bearer).toBe('Bearer resource_metadata="http://rs/.well-known/oauth-protected-resource/rs"');
    expect(dpop).toBe('DPoP error="invalid_token", error_description="the access token is invalid", algs="ES256 EdDSA"');
  });

  it('a bad proof → 401 invalid_dpop_proof on the DPoP challenge', () => {
    const error = new DpopProofRefusedError('the DPoP proof is stale').advertise({ dpopAlgs: ['ES256'] });
    expect(error.status).toBe(401);
    expect(error.challenges()).toEqual([
      'Bearer',
      'DPoP error="invalid_dpop_proof", error_description="the DPoP proof is stale", algs="ES256"',
    ]);
  });
});
