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
    const send = page.getByRole('button', { name: 'Envoyer le signalement' });
    await checkPage(page, '11-signaler-formulaire', { action: send });
    const lastName = uniqueName('Majeur');
    await fillReferral(page, { firstName: 'Léa', lastName, birthDate: isoDate(0, -22), phone: '06 12 34 56 78', exitDate: isoDate(45) });
    // No legal representative for an adult.
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toHaveCount(0);
    // A need, found by typing without accents.
    await page.getByLabel('Filtrer la liste des besoins').fill('hebergement temporaire');
    await page.getByLabel('Rechercher une solution d’hébergement temporaire').check({ force: true });
    await expect(page.getByRole('button', { name: 'Retirer Rechercher une solution d’hébergement temporaire' })).toBeVisible();
    await checkPage(page, '12-signaler-rempli', { action: send });
    await send.click();

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
    // The list works on a phone: the row's link and the page's action stay on screen.
    await checkPage(page, '14-mes-signalements', { action: row.getByRole('link', { name: `Léa ${lastName}` }) });
    await checkPage(page, '14-mes-signalements-action', { action: page.getByRole('link', { name: 'Signaler un jeune' }).last() });
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
    await expect(page.locator('#rep-contact-error')).toHaveText('Indiquez le téléphone ou le courriel du représentant légal.');
    await expect(summary).toBeFocused();
    await expect(page.locator('#rep-name-error')).toHaveText('Le jeune est mineur : indiquez son représentant légal.');
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Prénom', { exact: true })).toHaveValue('Noah');
    await checkPage(page, '15-signaler-mineur-erreur');
    // The summary link takes the keyboard to the field.
    await summary.getByRole('link').first().click();
    await expect(page.getByLabel('Nom et prénom du représentant légal')).toBeFocused();
    await page.getByLabel('Nom et prénom du représentant légal').fill('Sonia Martin');
    await page.getByLabel('Téléphone du représentant légal', { exact: true }).fill('07 00 00 00 01');
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
    await expect(page.getByLabel(/^Téléphone du jeune/)).toHaveValue('12 34');
    await expect(page.getByLabel(/^Téléphone du jeune/)).toHaveAttribute('aria-describedby', /youth-phone-error/);
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

  test('the error summary shrinks as fields are fixed and goes when the form is complete', async ({ page }) => {
    const send = page.getByRole('button', { name: 'Envoyer le signalement' });
    await send.click();
    const summary = page.locator('#resume-erreurs');
    await expect(summary).toBeFocused();
    const title = summary.getByRole('heading');
    const count = async () => Number((await title.textContent())?.match(/(\d+) erreurs/)?.[1] ?? 1);
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(7);
    await page.getByLabel('Prénom', { exact: true }).fill('Jade');
    await expect(page.locator('#youth-first-name-error')).toHaveCount(0);
    await expect(page.getByLabel('Prénom', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    await expect(title).toHaveText(`Le formulaire contient ${before - 1} erreurs`);
    // Still invalid while incomplete: a date of birth that is too old keeps its error, updated.
    await page.getByLabel('Date de naissance').fill(isoDate(0, -40));
    await expect(page.locator('#youth-birth-date-error')).toContainText('Le jeune a 40 ans');
    await fillReferral(page, { firstName: 'Jade', lastName: uniqueName('Complet'), birthDate: isoDate(0, -20) });
    await expect(summary).toHaveCount(0);
    await expect(page.locator('.fr-error-text, .fr-message--error')).toHaveCount(0);
    await checkPage(page, '17b-signaler-corrige', { action: send });
  });

  test('one way to reach the young person is asked for before sending, and “through me” is one control', async ({ page }) => {
    // Said before submission: one group, one label, none of its fields "optional".
    const group = page.getByRole('group', { name: /^Un moyen de le joindre : téléphone, courriel ou par votre intermédiaire/ });
    await expect(group).toBeVisible();
    await expect(group.getByLabel(/^Téléphone du jeune/)).toBeVisible();
    await expect(group.getByLabel(/^Courriel du jeune/)).toBeVisible();
    await expect(group).not.toContainText('facultatif');
    const lastName = uniqueName('Relais');
    await fillReferral(page, { firstName: 'Lina', lastName, birthDate: isoDate(0, -21), phone: '' });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page.locator('#youth-contact-error')).toHaveText('Indiquez un téléphone ou un courriel du jeune, ou cochez « par mon intermédiaire ».');
    await expect(page.locator('#resume-erreurs')).toContainText('Moyen de joindre le jeune');
    // The summary link leads to the group.
    await page.locator('#resume-erreurs').getByRole('link').first().click();
    await expect(page.locator('#youth-contact')).toBeFocused();
    // "Through me" replaces the channels: they are no longer offered.
    await page.getByRole('checkbox', { name: 'SMS', exact: true }).check({ force: true });
    await group.getByLabel(/^Par mon intermédiaire/).check({ force: true });
    await expect(page.locator('#youth-contact-error')).toHaveCount(0);
    await expect(page.getByRole('group', { name: /Moyens de contact acceptés/ })).toHaveCount(0);
    const posted = page.waitForRequest((r) => r.url().endsWith('/api/v1/referrals') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const youth = (await posted).postDataJSON().youth;
    expect(youth.contact_via_prescriber_only).toBe(true);
    expect(youth.contact_channels).toEqual(['via_prescriber']);
    await expect(page).toHaveURL(/\/dossiers\//);
    await expect(page.getByText('Uniquement par l’intermédiaire du prescripteur')).toBeVisible();
  });

  test('the needs filter ranks what people mean first', async ({ page }) => {
    await page.getByLabel('Filtrer la liste des besoins').fill('logement');
    const first = page.locator('#needs .sas-picker__items label').first();
    await expect(first).toHaveText('Rechercher une solution d’hébergement temporaire');
    await expect(page.locator('#needs .sas-picker__items label').last()).toHaveText('Acheter un logement');
  });
});
