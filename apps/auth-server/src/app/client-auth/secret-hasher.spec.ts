import { SecretHasher } from './secret-hasher';

/** The PHC parameter section: `$argon2id$v=19$m=…,t=…,p=…`. */
const parameters = (phc: string) => phc.split('$').slice(0, 4).join('$');

describe('SecretHasher', () => {
  const hasher = new SecretHasher();

  it('hashes with argon2id and verifies in both directions', async () => {
    const hash = await hasher.hash('s3cret');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    await expect(hasher.verify(hash, 's3cret')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'other')).resolves.toBe(false);
  });

  it('checks unknown client ids against a dummy hash with the parameters of a real one (same cost)', async () => {
    expect(parameters(SecretHasher.DUMMY_HASH)).toBe(parameters(await hasher.hash('anything')));
    await expect(hasher.verifyDummy('anything')).resolves.toBe(false);
  });

  it('never authenticates against a malformed hash', async () => {
    await expect(hasher.verify('not a hash', 'x')).resolves.toBe(false);
  });
});
