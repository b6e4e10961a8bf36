import { expect, Page, test } from '@playwright/test';
import { ACCOUNTS, checkPage, fillReferral, isoDate, login, logout, uniqueName, watchErrors } from './helpers';

/** The prescriber refers a young person; returns the referral's URL. */
async function refer(page: Page, firstName: string, lastName: string): Promise<string> {
  await login(page, ACCOUNTS.prescriber);
  await page.goto('/signalements/nouveau');
  await fillReferral(page, { firstName, lastName, birthDate: isoDate(0, -20) });
  await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
  await expect(page).toHaveURL(/\/dossiers\//);
  const url = page.url();
  await logout(page);
  return url;
}

async function takeIt(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'M’attribuer ce dossier' }).click();
  await expect(page.locator('.fr-badge', { hasText: 'Prise de contact' }).first()).toBeVisible();
}

async function logAttempt(page: Page, channel: string, outcome: string, note?: string, nextTry?: string) {
  const form = page.getByRole('form', { name: 'Noter une tentative de contact' });
  await form.getByLabel('Moyen').selectOption(channel);
  await form.getByLabel('Résultat').selectOption(outcome);
  if (note) await form.getByLabel('Note (facultatif)').fill(note);
  if (nextTry) await form.getByLabel('Prochaine tentative (facultatif)').fill(nextTry);
  // With the keyboard: the submit takes Enter.
  await form.getByRole('button', { name: 'Noter la tentative' }).focus();
  await page.keyboard.press('Enter');
}

test.describe('Orientation', () => {
  test('a counsellor fails twice, reaches the young person on the third attempt and saves the diagnostic', async ({ page, browser }) => {
    const errors = watchErrors(page);
    const lastName = uniqueName('Orient');
    const url = await refer(page, 'Samir', lastName);
    await login(page, ACCOUNTS.counsellor);
    await takeIt(page, url);
    await expect(page.locator('#prochaine-action')).toContainText('Joindre le jeune et noter chaque tentative.');
    const submit = page.getByRole('button', { name: 'Noter la tentative' });
    await checkPage(page, '30-prise-de-contact', { action: submit });

    await logAttempt(page, 'phone', 'no_answer', 'Sonne dans le vide.');
    await expect(page.getByText('Tentative notée : pas de réponse (téléphone).')).toBeVisible();
    await logAttempt(page, 'sms', 'voicemail', undefined, isoDate(0));
    await expect(page.getByText('Tentative notée : messagerie (sms).')).toBeVisible();
    await expect(page.getByText('2 tentatives (2 depuis l’entrée en prise de contact)')).toBeVisible();
    await expect(page.getByText('Moyens essayés : téléphone, sms')).toBeVisible();
    await expect(page.getByText('Dernière tentative aujourd’hui')).toBeVisible();
    await expect(page.locator('.sas-attempts__item')).toHaveCount(2);
    await checkPage(page, '31-tentatives', { action: submit });

    // The queue's follow-ups: the next try planned for today is due.
    await page.goto('/file-attente');
    await page.getByText('À relancer').click();
    const due = page.getByRole('row', { name: new RegExp(lastName) });
    await expect(due).toBeVisible();
    await checkPage(page, '37-relances', { action: due.getByRole('link', { name: `Samir ${lastName}` }) });
    await page.goto(url);

    await logAttempt(page, 'phone', 'reached', 'RDV jeudi à la Mission locale.');
    await expect(page.locator('.fr-badge', { hasText: 'Diagnostic' }).first()).toBeVisible();
    await expect(page.locator('#prochaine-action')).toContainText('Remplir le diagnostic avec le jeune.');

    // The diagnostic, section by section.
    const diag = page.locator('#formulaire-diagnostic');
    const state = page.locator('#diagnostic-etat');
    const save = page.getByRole('button', { name: 'Enregistrer le diagnostic' });
    await expect(page.getByText('Pas encore enregistré')).toBeVisible();
    await diag.getByRole('combobox', { name: 'Logement' }).selectOption('tiers');
    await diag.getByLabel('Niveau de formation').selectOption('cap_bep');
    await diag.getByRole('group', { name: /Freins périphériques/ }).getByLabel('Santé').check({ force: true });
    await diag.getByRole('group', { name: /Freins périphériques/ }).getByLabel('Logement').check({ force: true });
    await diag.getByLabel('Ses propres mots (facultatif)').fill('Je veux travailler vite.');
    await diag.getByLabel('Synthèse pour la structure d’accueil (facultatif)').fill('Motivé, cherche un emploi dans la logistique.');
    await expect(state).toHaveText('Modifications non enregistrées');
    await checkPage(page, '32-diagnostic', { action: save });
    await save.click();
    await expect(state).toHaveText('Enregistré');
    await expect(page.getByText('Version 1 enregistrée par Awa Aiguilleuse')).toBeVisible();

    // A colleague saves meanwhile: the second save is refused, says what changed, keeps the typing.
    const other = await browser.newPage();
    await login(other, ACCOUNTS.counsellor);
    await other.goto(url);
    await other.locator('#formulaire-diagnostic').getByLabel('Souhaits (facultatif)').fill('Travailler dans la logistique.');
    await other.getByRole('button', { name: 'Enregistrer le diagnostic' }).click();
    await expect(other.locator('#diagnostic-etat')).toHaveText('Enregistré');
    await other.close();
    await diag.getByLabel('Compétences (facultatif)').fill('Cariste');
    await save.click();
    await expect(state).toContainText('Un collègue a enregistré une autre version (souhaits, compétences, disponibilités)');
    await expect(diag.getByLabel('Compétences (facultatif)')).toHaveValue('Cariste');
    await checkPage(page, '33-diagnostic-conflit', { action: save });
    await save.click();
    await expect(state).toHaveText('Enregistré');
    await expect(page.getByText('Version 3 enregistrée par Awa Aiguilleuse')).toBeVisible();

    // The prescriber follows the progress, without the attempts, their notes or the diagnostic.
    await logout(page);
    await login(page, ACCOUNTS.prescriber);
    await page.goto(url);
    await expect(page.getByText('Contact établi avec le jeune : diagnostic en cours')).toBeVisible();
    await expect(page.getByText('L’équipe SAS qui suit ce jeune')).toBeVisible();
    const main = page.locator('main');
    await expect(main).not.toContainText('Sonne dans le vide');
    await expect(main).not.toContainText('Cariste');
    await expect(main).not.toContainText('Tentative');
    await expect(main).not.toContainText('Awa Aiguilleuse');
    await checkPage(page, '34-dossier-prescripteur');

    // The prescriber corrects the young person's phone number.
    await page.getByRole('button', { name: 'Corriger les coordonnées du jeune' }).click();
    const fix = page.getByRole('form', { name: 'Corriger les coordonnées du jeune' });
    await fix.getByLabel('Téléphone (facultatif)').fill('07 11 22 33 44');
    const keep = fix.getByRole('button', { name: 'Enregistrer les coordonnées' });
    await checkPage(page, '39-correction-coordonnees', { action: keep });
    await keep.click();
    await expect(page.getByText('Coordonnées du jeune corrigées.')).toBeVisible();
    await expect(page.getByText('07 11 22 33 44')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('a counsellor puts a referral on hold with its reason and takes it back', async ({ page }) => {
    const lastName = uniqueName('Pause');
    const url = await refer(page, 'Lina', lastName);
    await login(page, ACCOUNTS.counsellor);
    await takeIt(page, url);
    await page.getByRole('button', { name: 'Mettre en pause' }).first().click();
    const form = page.getByRole('form', { name: 'Mettre en pause' });
    await form.getByLabel('Motif de la pause').selectOption('youth_request');
    await checkPage(page, '35-mise-en-pause', { action: form.getByRole('button', { name: 'Mettre en pause' }) });
    await form.getByRole('button', { name: 'Mettre en pause' }).click();
    await expect(page.getByText('Statut du dossier : En pause.')).toBeVisible();
    await expect(page.locator('.fr-badge', { hasText: 'En pause' }).first()).toBeVisible();
    const back = page.getByRole('button', { name: 'Reprendre (prise de contact)' });
    await checkPage(page, '36-en-pause', { action: back });
    await back.click();
    await expect(page.getByText('Statut du dossier : Prise de contact.')).toBeVisible();
    await expect(page.locator('.fr-badge', { hasText: 'Prise de contact' }).first()).toBeVisible();

    // Handing it over: the colleagues of the territory are offered.
    await page.getByRole('button', { name: 'Confier à un collègue' }).first().click();
    const handOver = page.getByRole('form', { name: 'Confier à un collègue' });
    await expect(handOver.getByLabel('Collègue').locator('option', { hasText: 'Awa Aiguilleuse' })).toHaveCount(1);
    await handOver.getByLabel('Collègue').selectOption({ label: 'Awa Aiguilleuse' });
    await checkPage(page, '38-confier', { action: handOver.getByRole('button', { name: 'Confier à un collègue' }) });
    await handOver.getByRole('button', { name: 'Confier à un collègue' }).click();
    await expect(page.getByText('Dossier confié à Awa Aiguilleuse.')).toBeVisible();
  });
});
