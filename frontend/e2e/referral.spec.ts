import { expect, test } from '@playwright/test';
import { ACCOUNTS, checkPage, fillReferral, isoDate, login, uniqueName, watchErrors } from './helpers';

test.describe('Signaler un jeune', () => {
  test.beforeEach(async ({ page }) => {
    await login(page, ACCOUNTS.prescriber);
    await expect(page).toHaveURL(/\/signalements$/);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Signaler un jeune' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Signaler un jeune' })).toBeVisible();
  });

  test('the prescriber refers an adult and finds the referral in their list', async ({ page }) => {
    const errors = watchErrors(page);
    await checkPage(page, '11-signaler-formulaire');
    const lastName = uniqueName('Majeur');
    await fillReferral(page, { firstName: 'Léa', lastName, birthDate: isoDate(0, -22), phone: '06 12 34 56 78', exitDate: isoDate(45) });
    // No legal representative for an adult.
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toHaveCount(0);
    // A need, found by typing without accents.
    await page.getByLabel('Filtrer la liste des besoins').fill('hebergement temporaire');
    await page.getByLabel('Rechercher une solution d’hébergement temporaire').check({ force: true });
    await expect(page.getByRole('button', { name: 'Retirer Rechercher une solution d’hébergement temporaire' })).toBeVisible();
    await checkPage(page, '12-signaler-rempli');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();

    await expect(page).toHaveURL(/\/dossiers\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1, name: `Dossier de Léa ${lastName}` })).toBeVisible();
    await expect(page.getByText('Signalement envoyé. L’équipe SAS du territoire va contacter Léa.')).toBeVisible();
    await expect(page.locator('.fr-badge', { hasText: 'Signalé' }).first()).toBeVisible();
    await expect(page.getByText('Rechercher une solution d’hébergement temporaire')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Historique' })).toBeVisible();
    await checkPage(page, '13-dossier-prescripteur');

    await page.getByRole('link', { name: 'Mes signalements' }).first().click();
    const row = page.getByRole('row', { name: new RegExp(lastName) });
    await expect(row).toContainText('Signalé');
    await expect(row).toContainText('J-45');
    await checkPage(page, '14-mes-signalements');
    expect(errors).toEqual([]);
  });

  test('the prescriber refers a minor: legal representative fields appear and are required', async ({ page }) => {
    const lastName = uniqueName('Mineur');
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toHaveCount(0);
    await page.getByLabel('Date de naissance').fill(isoDate(0, -16));
    await expect(page.getByRole('heading', { name: '3. Représentant légal' })).toBeVisible();
    await fillReferral(page, { firstName: 'Noah', lastName, birthDate: isoDate(0, -16) });
    // Sent without the representative: refused next to the right field, nothing lost.
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
    await expect(summary).toBeVisible();
    await expect(page.locator('#rep-phone-error')).toHaveText('Indiquez le téléphone ou le courriel du représentant légal.');
    await expect(summary).toBeFocused();
    await expect(page.locator('#rep-name-error')).toHaveText('Le jeune est mineur : indiquez son représentant légal.');
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Prénom', { exact: true })).toHaveValue('Noah');
    await checkPage(page, '15-signaler-mineur-erreur');
    // The summary link takes the keyboard to the field.
    await summary.getByRole('link').first().click();
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toBeFocused();
    await page.getByLabel('Nom et prénom du représentant légal').fill('Sonia Martin');
    await page.getByLabel('Téléphone du représentant légal (facultatif)').fill('07 00 00 00 01');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page).toHaveURL(/\/dossiers\//);
    await expect(page.getByRole('heading', { name: 'Représentant légal' })).toBeVisible();
    await expect(page.getByText('Sonia Martin')).toBeVisible();
    await checkPage(page, '16-dossier-mineur');
  });

  test('an invalid phone and an out-of-range age show field errors and keep what was typed', async ({ page }) => {
    await fillReferral(page, { firstName: 'Sami', lastName: 'Trop-Âgé', birthDate: isoDate(0, -35), phone: '12 34' });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      /^Date de naissance : Le jeune a 35 ans : SAS accompagne les jeunes de 15 à 29 ans\.$/,
      /^Téléphone du jeune : Numéro de téléphone invalide/,
    ]);
    await expect(page.locator('#youth-birth-date-error')).toContainText('SAS accompagne les jeunes de 15 à 29 ans');
    await expect(page.locator('#youth-phone-error')).toHaveText('Numéro de téléphone invalide. Exemple : 06 12 34 56 78');
    await expect(page.getByLabel('Téléphone du jeune (facultatif)')).toHaveValue('12 34');
    await expect(page.getByLabel('Téléphone du jeune (facultatif)')).toHaveAttribute('aria-describedby', /youth-phone-error/);
    await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('Trop-Âgé');
    await checkPage(page, '17-signaler-erreurs');
  });

  test('errors found by the API land next to their fields', async ({ page }) => {
    // The API is the authority: simulate what it answers for rules the form cannot check.
    await page.route('**/api/v1/referrals', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'Invalid fields.',
          code: 'validation_failed',
          errors: [
            { field: 'youth.phone', code: 'invalid_phone', message: 'Not a French phone number.' },
            { field: 'youth.birth_date', code: 'age_out_of_range', message: '15 to 29.' },
            { field: 'needs[0]', code: 'unknown_thematique', message: 'Unknown.' },
          ],
        }),
      });
    });
    await fillReferral(page, { firstName: 'Inès', lastName: 'Serveur', birthDate: isoDate(0, -20), phone: '06 11 22 33 44' });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Le formulaire contient 3 erreurs' })).toBeFocused();
    await expect(page.locator('#youth-birth-date-error')).toHaveText('Le jeune doit avoir entre 15 et 29 ans à la date du signalement.');
    await expect(page.locator('#youth-phone-error')).toHaveText('Numéro de téléphone invalide. Exemple : 06 12 34 56 78');
    await expect(page.locator('#needs-error')).toContainText('Ce besoin n’existe pas');
    await expect(page.getByLabel('Prénom', { exact: true })).toHaveValue('Inès');
  });

  test('a commune no SAS team serves is flagged before sending', async ({ page }) => {
    const commune = page.getByRole('combobox', { name: /Commune de résidence/ });
    await commune.fill('75001');
    await expect(page.getByRole('option').first()).toContainText('non couverte par SAS');
    await commune.press('ArrowDown');
    await expect(commune).toHaveAttribute('aria-activedescendant', /youth-commune-option-0/);
    await commune.press('Enter');
    await expect(page.getByText('Cette commune n’est couverte par aucune équipe SAS pour le moment')).toBeVisible();
  });
});
