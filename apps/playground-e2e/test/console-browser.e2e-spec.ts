// The flow console in a real browser (Debian's Chromium driven by playwright-core; no browser
// download): open the page, click "walkthrough (JWT)", see the exchanges client → auth-server
// (token) → ms-system drawn from the services' spans, and the decoded JWT marked verified.
// Saves docs/images/flow-console.png, the screenshot the README shows.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createPlayground, type Playground } from './support/playground';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOT = resolve(__dirname, '../../../docs/images/flow-console.png');

describe('flow console in Chromium', () => {
  let playground: Playground;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (CI does it in .ci/run)`);
    playground = await createPlayground();
    await playground.start('console');
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `${playground.url('console')}/otlp` };
    // ms-system's Swagger UI (another origin) may call the token endpoint from the browser.
    await playground.start('auth-server', { ...otel, CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${playground.ports['ms-system']}` });
    await Promise.all([playground.start('ms-system', otel), playground.start('archival-service', { ...otel, ARCHIVAL_CRON: 'off' })]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    // The page must work offline: any request leaving loopback fails the test.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => {
      throw new Error(`the page requested ${route.request().url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
  }, 60_000);

  it('runs "walkthrough (JWT)" from its button and shows the exchanges and a verified JWT', async () => {
    await page.goto(`${playground.url('console')}/`);
    await page.getByRole('status').filter({ hasText: 'live' }).waitFor({ timeout: 10_000 });

    // Keyboard only: focus the button, press Enter.
    const button = page.getByRole('button', { name: 'walkthrough (JWT)' });
    await button.focus();
    await page.keyboard.press('Enter');

    const detail = page.locator('#detail');
    const tokenExchange = detail.locator('details.exchange summary', {
      hasText: 'client → auth-server  POST /ms-auth-server/oauth2/token',
    });
    const countryExchange = detail.locator('details.exchange summary', { hasText: 'client → ms-system  GET /ms-system/country/code/AUS' });
    await tokenExchange.waitFor({ timeout: 10_000 });
    await countryExchange.waitFor({ timeout: 10_000 });
    // This ms-system has never seen a JWT: it fetches the JWKS inside the request, and the flow shows it.
    await detail
      .locator('details.exchange summary', { hasText: 'ms-system → auth-server  GET /ms-auth-server/oauth2/jwks' })
      .waitFor({ timeout: 10_000 });
    await detail.getByText('ms-system accepted the token: 200').waitFor({ timeout: 10_000 });

    // Order: the token exchange is listed before the call that uses it.
    const summaries = await detail.locator('details.exchange summary').allTextContents();
    const tokenAt = summaries.findIndex((s) => s.includes('POST /ms-auth-server/oauth2/token'));
    const countryAt = summaries.findIndex((s) => s.includes('GET /ms-system/country/code/AUS'));
    expect(tokenAt).toBeGreaterThanOrEqual(0);
    expect(countryAt).toBeGreaterThan(tokenAt);

    // The decoded JWT, verified against the live JWKS, with its claims and a countdown.
    const badge = detail.locator('.badge[data-verified="true"]');
    await expect(badge.textContent()).resolves.toContain('JWT verified');
    await expect(detail.locator('.token pre').nth(1).textContent()).resolves.toContain('"client_id": "service-client-jwt"');
    await expect(detail.locator('[data-exp]').first().textContent()).resolves.toMatch(/\d+ min \d\d s/);

    // The sequence diagram is mermaid's SVG (bundled locally), naming the participants.
    const svg = detail.locator('.diagram svg');
    await svg.waitFor({ timeout: 10_000 });
    const diagramText = await svg.textContent();
    for (const participant of ['client', 'auth-server', 'ms-system']) expect(diagramText).toContain(participant);

    // An exchange opens (keyboard) to its redacted OAuth parameters.
    await tokenExchange.focus();
    await page.keyboard.press('Enter');
    // (Live updates redraw the flow as spans arrive; an opened exchange stays open.)
    await detail.locator('details.exchange[open] table', { hasText: 'oauth.client_auth_method' }).first().waitFor({ timeout: 5000 });
    await expect(detail.locator('details.exchange[open] table').first().textContent()).resolves.toContain('client_secret_basic');

    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(join(SCREENSHOT))).toBe(true);
  });

  it('ms-system Swagger UI: "Authorize" fetches a client-credentials token itself, "Try it out" then gets a country', async () => {
    const docs = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    try {
      await docs.goto(`${playground.url('ms-system')}/docs`);
      await docs.locator('button.authorize').first().click();
      const dialog = docs.locator('.modal-ux');
      await dialog.locator('#client_id_clientCredentials').fill('service-client-jwt');
      await dialog.locator('#client_secret_clientCredentials').fill('service-client-jwt-secret');
      await dialog.locator('label[for="country.read-clientCredentials-checkbox-oauth2"]').click(); // the scope (its checkbox is styled away)
      const tokenResponse = docs.waitForResponse((r) => r.url().endsWith('/oauth2/token') && r.request().method() === 'POST');
      await dialog.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
      expect((await tokenResponse).status()).toBe(200);
      await dialog.locator('button', { hasText: 'Logout' }).first().waitFor({ timeout: 10_000 }); // authorized
      await dialog.locator('button.close-modal').click();

      const operation = docs.locator('.opblock', { hasText: '/ms-system/country/code/{code}' }).first();
      await operation.locator('.opblock-summary').click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      await operation.locator('input[placeholder="code"]').fill('AUS');
      const call = docs.waitForResponse((r) => r.url().endsWith('/ms-system/country/code/AUS'));
      await operation.getByRole('button', { name: 'Execute' }).click();
      const response = await call;
      expect(response.status()).toBe(200);
      expect(await response.json()).toEqual({ code: 'AUS', name: 'AUSTRALIA' });
    } finally {
      await docs.close();
    }
  });
});
