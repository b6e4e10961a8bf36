import { expect, test } from '@playwright/test';
import { ACCOUNTS, axe, checkPage, login, logout, PASSWORD, submitLogin, uniqueName, watchErrors } from './helpers';

test.describe('Connexion', () => {
  test('the login page is reachable and accessible', async ({ page }) => {
    const errors = watchErrors(page);
    const response = await page.goto('/');
    // Served by the API under its strict CSP: the app starts without any inline script.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await expect(page).toHaveURL(/\/connexion$/);
    await expect(page).toHaveTitle('Connexion à SAS – SAS');
    await checkPage(page, '01-connexion');
    expect(errors).toEqual([]);
  });

  test('a first visit asks for no session and logs nothing in the console', async ({ page, context }) => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    const tokenCalls: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/auth/token')) tokenCalls.push(r.url()); });
    await page.goto('/');
    await expect(page).toHaveURL(/\/connexion$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion à SAS' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(tokenCalls).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await expect(page.locator('.fr-alert')).toHaveCount(0);

    // A stale session hint (no refresh cookie behind it): the API answers 401 no_session,
    // which is the ordinary logged-out state — no "session expired" notice — and clears it.
    await context.addCookies([{ name: 'sas_session', value: '1', url: page.url() }]);
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/auth/token'));
    await page.reload();
    expect((await answer).status()).toBe(401);
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion à SAS' })).toBeVisible();
    await expect(page.locator('.fr-alert')).toHaveCount(0);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('sas_session');
  });

  test('an account whose password an admin set must replace it before anything else', async ({ page, request }) => {
    // The administrator creates the account (as the admin form does) with a temporary password.
    const admin = await (await request.post('/api/v1/auth/token', {
      data: { grant_type: 'password', email: ACCOUNTS.admin, password: PASSWORD },
    })).json();
    const headers = { Authorization: `Bearer ${admin.access_token}` };
    const structures = await (await request.get('/api/v1/structures?q=Mission%20Locale%20de%20Lyon', { headers })).json();
    const email = `${uniqueName('nina')}@exemple.fr`;
    const temporary = 'mot-de-passe-provisoire';
    const created = await request.post('/api/v1/users', {
      headers,
      data: {
        email, first_name: 'Nina', last_name: 'Nouvelle', password: temporary, roles: ['prescriber'],
        structure_id: structures.items[0].id, reason: 'Arrivée de Nina',
      },
    });
    expect(created.status()).toBe(201);

    const errors = watchErrors(page);
    await login(page, email, temporary);
    await expect(page).toHaveURL(/\/mot-de-passe$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Choisissez votre mot de passe' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Menu principal' })).toHaveCount(0);
    await checkPage(page, '09-mot-de-passe-provisoire');
    // Every other page leads back here, a reload included.
    await page.goto('/signalements/nouveau');
    await expect(page).toHaveURL(/\/mot-de-passe$/);

    const mine = 'ma phrase secrète à moi';
    await page.locator('#mdp-current-password').fill('pas-le-bon-mot-de-passe');
    await page.locator('#mdp-new-password').fill(mine);
    await page.locator('#mdp-confirmation').fill(mine);
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await expect(page.locator('#mdp-current-password-error')).toHaveText('Ce n’est pas le mot de passe provisoire reçu.');
    await checkPage(page, '10-mot-de-passe-erreur');
    await page.locator('#mdp-current-password').fill(temporary);
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await expect(page).toHaveURL(/\/signalements$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Mes signalements' })).toBeVisible();

    // From now on, the user's own password opens SAS directly; the temporary one no longer does.
    await logout(page);
    await login(page, email, temporary, false);
    await expect(page.getByRole('alert')).toContainText('Adresse électronique ou mot de passe incorrect.');
    await login(page, email, mine);
    await expect(page).toHaveURL(/\/signalements$/);
    expect(errors).toEqual([]);
  });

  test('a wrong password is refused with a French message, the focus on it, then on the fields', async ({ page }) => {
    await login(page, ACCOUNTS.prescriber, 'mauvais-mot-de-passe', false);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Adresse électronique ou mot de passe incorrect.');
    // The keyboard user lands on the message, and the next Tab is the first field.
    await expect(alert).toBeFocused();
    const email = page.getByLabel('Adresse électronique');
    const password = page.getByLabel('Mot de passe', { exact: true });
    await expect(email).toHaveValue(ACCOUNTS.prescriber);
    for (const field of [email, password]) {
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveAttribute('aria-describedby', /erreur-connexion/);
    }
    await page.keyboard.press('Tab');
    await expect(email).toBeFocused();
    await checkPage(page, '02-connexion-erreur', { action: page.getByRole('button', { name: 'Se connecter' }) });
    // Fixed and sent again: in.
    await password.fill(PASSWORD);
    await password.press('Enter');
    await expect(page).toHaveURL(/\/signalements$/);
  });

  test('the submit button keeps the focus while the login is under way', async ({ page }) => {
    await page.goto('/connexion');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => { release = r; });
    await page.route('**/api/v1/auth/token', async (route) => {
      if (!route.request().postData()?.includes('"password"')) return route.continue();
      await held;
      await route.continue();
    });
    await page.getByLabel('Adresse électronique').fill(ACCOUNTS.prescriber);
    await page.getByLabel('Mot de passe', { exact: true }).fill('mauvais-mot-de-passe');
    const button = page.getByRole('button', { name: 'Se connecter' });
    await button.focus();
    await page.keyboard.press('Enter');
    const busy = page.getByRole('button', { name: 'Connexion…' });
    await expect(busy).toHaveAttribute('aria-disabled', 'true');
    await expect(busy).toBeFocused();
    // Focusable: aria-disabled only (Playwright counts aria-disabled as disabled).
    expect(await busy.evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(false);
    // A second press while busy sends nothing more.
    let extra = 0;
    page.on('request', (r) => { if (r.url().endsWith('/auth/token')) extra += 1; });
    await page.keyboard.press('Enter');
    release();
    await expect(page.getByRole('alert')).toBeFocused();
    expect(extra).toBe(0);
    await expect(button).not.toHaveAttribute('aria-disabled', 'true');
  });

  const homes = [
    { role: 'prescriber', email: ACCOUNTS.prescriber, url: /\/signalements$/, heading: 'Mes signalements', nav: ['Mes signalements', 'Signaler un jeune', 'Mes chiffres', 'Mes notifications'], shot: '03-accueil-prescripteur' },
    { role: 'counsellor', email: ACCOUNTS.counsellor, url: /\/file-attente$/, heading: 'File d’attente du territoire', nav: ['File d’attente', 'Pilotage'], shot: '04-accueil-aiguilleur' },
    // Pages whose feature is not built yet say so plainly, instead of looking empty.
    { role: 'receiver', email: ACCOUNTS.receiver, url: /\/relais$/, heading: 'Demandes de relais', nav: ['Demandes de relais', 'Mes services', 'Mes chiffres'], shot: '05-accueil-accueil', says: 'Léa Martin' },
    { role: 'pilot', email: ACCOUNTS.pilot, url: /\/pilotage$/, heading: 'Pilotage du territoire', nav: ['Pilotage'], shot: '06-accueil-pilote', says: 'Le parcours des orientations' },
    { role: 'admin', email: ACCOUNTS.admin, url: /\/admin\/structures$/, heading: 'Structures', nav: ['Structures', 'Comptes', 'Tâches', 'Import de l’offre', 'Webhooks', 'Demandes sur les données', 'Rétention', 'Pilotage'], shot: '07-accueil-admin' },
  ];
  for (const h of homes) {
    test(`the ${h.role} logs in, sees their home and only their menu, and logs out`, async ({ page }) => {
      const errors = watchErrors(page);
      await login(page, h.email);
      await expect(page).toHaveURL(h.url);
      await expect(page.getByRole('heading', { level: 1, name: h.heading })).toBeVisible();
      const menu = page.getByRole('navigation', { name: 'Menu principal' });
      await expect(menu.getByRole('link')).toHaveText(h.nav);
      if (h.says) await expect(page.getByRole('heading', { level: 2, name: h.says })).toBeVisible();
      await checkPage(page, h.shot);
      await logout(page);
      await expect(page.getByRole('status').or(page.locator('.fr-alert'))).toContainText('Vous êtes déconnecté.');
      // Logged out for real: a protected page leads back to the login page.
      await page.goto('/signalements');
      await expect(page).toHaveURL(/\/connexion$/);
      expect(errors).toEqual([]);
    });
  }

  test('the session survives a reload with no token in web storage', async ({ page, context }) => {
    await login(page, ACCOUNTS.prescriber);
    await expect(page).toHaveURL(/\/signalements$/);
    const storage = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(Object.keys(storage.local)).toEqual([]);
    expect(JSON.stringify(storage.session)).not.toMatch(/eyJ|token/i);
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'sas_refresh');
    expect(refresh?.httpOnly).toBe(true);
    expect(refresh?.sameSite).toBe('Strict');
    expect(refresh?.path).toBe('/api/v1/auth');
    expect(await page.evaluate(() => document.cookie)).not.toContain('sas_refresh');

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes signalements' })).toBeVisible();
    await page.goto('/signalements/nouveau');
    await expect(page.getByRole('heading', { level: 1, name: 'Signaler un jeune' })).toBeVisible();

    await logout(page);
    await page.reload();
    await expect(page).toHaveURL(/\/connexion$/);
  });

  test('a deep link asked while logged out opens after login', async ({ page }) => {
    await page.goto('/signalements/nouveau');
    await expect(page).toHaveURL(/\/connexion$/);
    await submitLogin(page, ACCOUNTS.prescriber);
    await expect(page).toHaveURL(/\/signalements\/nouveau$/);
  });

  test('a user with two roles switches between them', async ({ page }) => {
    await login(page, ACCOUNTS.missionLocale);
    await expect(page).toHaveURL(/\/signalements$/);
    const role = page.getByLabel('Rôle actif');
    await expect(role).toHaveValue('prescriber');
    // The label sits on one line above its selector, never wrapped against it.
    const label = await page.locator('label[for="role-actif"]').boundingBox();
    const select = await role.boundingBox();
    expect(label && select && label.y + label.height <= select.y + 1).toBe(true);
    expect(label && label.height < 2 * 20).toBe(true);
    await role.selectOption('receiver');
    await expect(page).toHaveURL(/\/relais$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Demandes de relais' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link')).toHaveText(['Demandes de relais', 'Mes services', 'Mes chiffres']);
    await checkPage(page, '08-changement-de-role');
    // The prescriber's pages are closed while the receiver role is active…
    await page.goto('/signalements/nouveau');
    await expect(page.getByRole('heading', { level: 1, name: 'Accès non autorisé' })).toBeVisible();
    // …and the active role survives a reload.
    await page.goto('/');
    await expect(page).toHaveURL(/\/relais$/);
    await page.getByLabel('Rôle actif').selectOption('prescriber');
    await expect(page).toHaveURL(/\/signalements$/);
  });

  test('on a phone the menu opens over the page and closes again', async ({ page }) => {
    await login(page, ACCOUNTS.missionLocale);
    await page.setViewportSize({ width: 375, height: 800 });
    const open = page.getByRole('button', { name: 'Menu' });
    await expect(open).toBeVisible();
    await expect(open).toHaveAttribute('aria-expanded', 'false');
    await open.click();
    await expect(open).toHaveAttribute('aria-expanded', 'true');
    const menu = page.locator('#menu-principal');
    await expect(menu.getByRole('link', { name: 'Mes signalements' })).toBeVisible();
    await expect(menu.getByLabel('Rôle actif')).toBeVisible();
    await expect(menu.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: `${process.env.E2E_ARTIFACTS || '../target/e2e-artifacts'}/screens/08b-menu-375.png` });
    await axe(page, '08b-menu-375');
    await menu.getByRole('link', { name: 'Signaler un jeune' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Signaler un jeune' })).toBeVisible();
    await expect(open).toHaveAttribute('aria-expanded', 'false');
  });
});
