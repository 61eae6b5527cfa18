// The seed walkthrough the launcher prints once everything is healthy: the same three calls as
// the README's first steps, with the URLs this run really uses.

/** @param {{ authServer: string, msSystem: string, archival: string }} urls base URLs, base path included */
export function walkthrough(urls) {
  const token = `${urls.authServer}/oauth2/token`;
  const country = `${urls.msSystem}/country/code/AUS`;
  return [
    '',
    'The playground is running. Try the seed walkthrough:',
    '',
    '  # 1. No token: 401 with WWW-Authenticate: Bearer',
    `  curl -i ${country}`,
    '',
    '  # 2. A token for user-client-opaque (client_secret_post), kept in $TOKEN',
    `  curl -s ${token} -d grant_type=client_credentials \\`,
    '    -d client_id=user-client-opaque -d client_secret=user-client-secret -d scope=country.read | tee /tmp/opaque.json',
    `  TOKEN=$(node -p 'require("/tmp/opaque.json").access_token')`,
    '',
    '  # 3. The protected resource: 200 {"code":"AUS","name":"AUSTRALIA"}',
    `  curl -i -H "Authorization: Bearer $TOKEN" ${country}`,
    '',
    `More (introspection, JWTs, revocation, the archival job at ${urls.archival}/runs): README.md, docs/playground.http`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
