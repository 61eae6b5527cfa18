// Test-only entry point (`@playground/bearer-auth/testing`): a fake authorization server
// (metadata, JWKS, introspection, revocations feed) for resource-server tests.
export * from './test-support/fake-auth-server';
export * from './test-support/dpop-proofs';
