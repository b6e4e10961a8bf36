import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, PASSWORD, checkPage, isoDate, login, logout, uniqueName, watchErrors } from './helpers';

type Page = import('@playwright/test').Page;

/** A bearer token of `email` (the test's own set-up through the API). */
async function bearer(page: Page, email: string): Promise<{ Authorization: string }> {
  const auth = await page.request.post('/api/v1/auth/token', {
    data: { grant_type: 'password', email, password: PASSWORD },
  });
  expect(auth.status(), `token of ${email}`).toBe(200);
  const { access_token } = await auth.json();
  return { Authorization: `Bearer ${access_token}` };
}

interface Created { id: string; version: number }

/** A referral of the demo prescriber (ASE du Rhône) for a young person of Lyon 8e. */
async function refer(page: Page, first: string, last: string): Promise<Created> {
  const res = await page.request.post('/api/v1/referrals', {
    headers: await bearer(page, ACCOUNTS.prescriber),
    data: {
      youth: {
        first_name: first, last_name: last, birth_date: isoDate(0, -20), phone: '06 11 22 33 44',
        commune_insee: '69388', contact_channels: ['phone'],
      },
      reason_code: 'ase_exit',
      exit_date: isoDate(60),
      needs: ['trouver-un-emploi--repondre-a-des-offres-demploi'],
      consent: {
        informed_at: new Date().toISOString(), informed_by: 'Paul Prescripteur, éducateur',
        method: 'oral', agreed: ['sas_contact'],
      },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const r = await res.json();
  return { id: r.id, version: r.version };
}

/** The prescriber withdraws the referral (closed: nothing in progress any more). */
async function withdraw(page: Page, id: string) {
  const headers = await bearer(page, ACCOUNTS.prescriber);
  const current = await (await page.request.get(`/api/v1/referrals/${id}`, { headers })).json();
  const res = await page.request.post(`/api/v1/referrals/${id}/transitions`, {
    headers: { ...headers, 'If-Match': `"${current.version}"` },
    data: { to: 'closed', outcome: 'withdrawn', reason: 'Le jeune a trouvé une solution seul' },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** The id of the demo referral of `first` `last` (read by the demo counsellor). */
async function demoReferral(page: Page, first: string, last: string): Promise<string> {
  const res = await page.request.get(`/api/v1/referrals?q=${encodeURIComponent(last)}&limit=100`, {
    headers: await bearer(page, ACCOUNTS.counsellor),
  });
  const body = await res.json();
  const r = body.items.find((i: { youth: { first_name: string } }) => i.youth.first_name === first);
  expect(r, `referral of ${first} ${last}`).toBeTruthy();
  return r.id;
}

/** Fills « Numéro du dossier » and « Motif », then reads the referral. */
async function readReferral(page: Page, id: string, reason: string) {
  await page.getByLabel('Numéro du dossier').fill(id);
  await page.locator('#demande-motif').fill(reason);
  await page.getByRole('button', { name: 'Lire le dossier' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Dossier lu' })).toBeVisible();
}

async function openDataRequests(page: Page) {
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Demandes sur les données' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demandes sur les données' })).toBeVisible();
}

test.describe('Données personnelles', () => {
  test('the public page says what is kept, who sees it, how long, and how to exercise each right', async ({ page }) => {
    const errors = watchErrors(page);
    // Logged out, from the footer of the login page.
    await page.goto('/connexion');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Données personnelles' }).click();
    await expect(page).toHaveURL(/\/donnees-personnelles$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Données personnelles' })).toBeVisible();
    for (const h of ['Ce que SAS enregistre, et pourquoi', 'Qui voit quoi', 'Combien de temps',
      'Où chaque consultation est notée', 'Les droits du jeune, et comment les exercer']) {
      await expect(page.getByRole('heading', { level: 2, name: h })).toBeVisible();
    }
    for (const h of ['Obtenir une copie de ses données', 'Faire corriger ses données', 'Faire effacer ses données',
      'Refuser d’être contacté ou de voir ses données transmises']) {
      await expect(page.getByRole('heading', { level: 3, name: h })).toBeVisible();
    }
    await expect(page.getByText('24 mois après la dernière activité sur son dernier dossier clos')).toBeVisible();
    await expect(page.getByText('gardée 12 mois, puis supprimée')).toBeVisible();
    await expect(page.getByText('l’équipe SAS de son territoire').first()).toBeVisible();
    await checkPage(page, '90-donnees-personnelles');
    // Reloaded: still open to everyone (no login asked).
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Données personnelles' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('the counsellor corrects the identity; the admin reads it with a motif, exports and erases it', async ({ page }) => {
    const errors = watchErrors(page);
    const last = uniqueName('Effacement');
    const created = await refer(page, 'Inès', last);

    // Rectification: the counsellor corrects the last name from the referral page.
    await login(page, ACCOUNTS.counsellor);
    await page.goto(`/dossiers/${created.id}`);
    await expect(page.getByRole('heading', { level: 1, name: `Dossier de Inès ${last}` })).toBeVisible();
    await page.getByRole('button', { name: 'Corriger l’identité' }).click();
    const save = page.getByRole('button', { name: 'Enregistrer l’identité' });
    // Nothing changed: said, not sent.
    await save.click();
    await expect(page.locator('#identite-prenom-error')).toContainText('Aucune modification');
    const corrected = `${last}-Durand`;
    await page.locator('#identite-nom').fill(corrected);
    await checkPage(page, '98-identite-correction', { action: save });
    await save.click();
    await expect(page.getByText('Identité du jeune corrigée.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: `Dossier de Inès ${corrected}` })).toBeVisible();
    await logout(page);

    await withdraw(page, created.id);

    await login(page, ACCOUNTS.admin);
    await openDataRequests(page);
    const read = page.getByRole('button', { name: 'Lire le dossier' });
    await checkPage(page, '91-demandes-donnees', { action: read });
    // Without a motif nothing is read.
    await page.getByLabel('Numéro du dossier').fill(created.id);
    await read.click();
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient une erreur' });
    await expect(summary).toBeFocused();
    await expect(page.locator('#demande-motif-error')).toContainText('Indiquez le motif');
    await checkPage(page, '92-demandes-donnees-erreurs');
    // The link of the referral works as well as its id.
    await readReferral(page, `http://localhost/dossiers/${created.id}`, 'Demande d’accès et d’effacement reçue par courrier');
    await expect(page.getByText(`Inès ${corrected}`)).toBeVisible();
    const json = page.getByRole('button', { name: 'Télécharger les données (JSON)' });
    await checkPage(page, '93-demandes-dossier-lu', { action: json });

    // The right of access: the JSON export holds the youth's (corrected) name and the motif.
    const download = page.waitForEvent('download');
    await json.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^sas-export-[0-9a-f-]{36}\.json$/);
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8'));
    expect(exported.youth.first_name).toBe('Inès');
    expect(exported.youth.last_name).toBe(corrected);
    expect(exported.reason).toBe('Demande d’accès et d’effacement reçue par courrier');
    expect(exported.referrals.map((r: { id: string }) => r.id)).toContain(created.id);
    await expect(page.getByText(/Fichier « sas-export-.*\.json » téléchargé/)).toBeVisible();
    // The readable document, too.
    const htmlDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Télécharger le document lisible' }).click();
    const doc = readFileSync(await (await htmlDownload).path(), 'utf8');
    expect(doc).toContain(corrected);

    // Erasure: a confirmation step, the motif kept from the read.
    await page.getByRole('button', { name: 'Effacer les données du jeune…' }).click();
    await expect(page.locator('#effacement-motif')).toHaveValue('Demande d’accès et d’effacement reçue par courrier');
    const erase = page.getByRole('button', { name: 'Effacer définitivement' });
    await erase.click();
    await expect(page.locator('#effacement-confirmation-error')).toContainText('Cochez la case pour confirmer');
    await page.getByLabel(/Je confirme l’effacement/).check({ force: true });
    await checkPage(page, '94-demandes-effacement-confirmation', { action: erase });
    await erase.click();
    await expect(page.getByText(/Les données du jeune sont effacées : 1 dossier anonymisé/)).toBeVisible();
    await expect(page.getByText('Personne anonymisée')).toBeVisible();
    await expect(page.getByText(`Inès ${corrected}`)).toHaveCount(0);
    await checkPage(page, '95-demandes-effacement-fait');

    // Read again: the API says it is anonymised, and the export holds no name any more.
    await page.reload();
    await readReferral(page, created.id, 'Vérification après effacement');
    await expect(page.getByText('Personne anonymisée')).toBeVisible();
    await expect(page.getByText(/Les données de ce jeune sont anonymisées depuis le/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Effacer les données du jeune…' })).toHaveCount(0);
    const again = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Télécharger les données (JSON)' }).click();
    const after = readFileSync(await (await again).path(), 'utf8');
    expect(after).not.toContain(corrected);
    expect(JSON.parse(after).youth.anonymised_at).toBeTruthy();
    await logout(page);

    // The counsellor's page of the referral now says « Personne anonymisée », without the form.
    await login(page, ACCOUNTS.counsellor);
    await page.goto(`/dossiers/${created.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Dossier de Personne anonymisée' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Corriger l’identité' })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('an erasure is refused while a relay is in progress, and said so in French', async ({ page }) => {
    const errors = watchErrors(page);
    // The demo's Yanis Benali was relayed to the E2C, which started accompanying him.
    const id = await demoReferral(page, 'Yanis', 'Benali');
    await login(page, ACCOUNTS.admin);
    await openDataRequests(page);
    await readReferral(page, id, 'Demande d’effacement du jeune');
    await expect(page.getByText('Yanis Benali')).toBeVisible();
    await page.getByRole('button', { name: 'Effacer les données du jeune…' }).click();
    await page.getByLabel(/Je confirme l’effacement/).check({ force: true });
    await page.getByRole('button', { name: 'Effacer définitivement' }).click();
    const refusal = page.locator('#effacement-erreurs');
    await expect(refusal).toContainText('Un relais de ce jeune est en cours');
    await expect(refusal).toBeFocused();
    await checkPage(page, '96-demandes-effacement-refuse');
    // Nothing was erased.
    await expect(page.getByText('Yanis Benali')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('the admin reads the retention runs', async ({ page }) => {
    const errors = watchErrors(page);
    await login(page, ACCOUNTS.admin);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Rétention' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rétention des données' })).toBeVisible();
    await expect(page.getByText('plus de 24 mois')).toBeVisible();
    // The daily run may or may not have happened on this fresh server: a table or the empty state.
    await expect(page.locator('#executions-retention').or(page.getByText('Aucune exécution'))).toBeVisible();
    await checkPage(page, '97-retention');
    expect(errors).toEqual([]);
  });
});
