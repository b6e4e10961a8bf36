import { expect, Page, test } from '@playwright/test';
import { ACCOUNTS, checkPage, fillReferral, isoDate, login, logout, uniqueName, watchErrors } from './helpers';

/** The prescriber refers a young person of Villeurbanne; returns the referral's URL. */
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

test.describe('Propositions de services', () => {
  test('a counsellor reads explained matches, sets one aside with a reason and brings it back', async ({ page }) => {
    const errors = watchErrors(page);
    const lastName = uniqueName('Match');
    const url = await refer(page, 'Nora', lastName);
    await login(page, ACCOUNTS.counsellor);
    await page.goto(url);
    await page.getByRole('button', { name: 'M’attribuer ce dossier' }).click();
    await expect(page.locator('.fr-badge', { hasText: 'Prise de contact' }).first()).toBeVisible();
    const attempt = page.getByRole('form', { name: 'Noter une tentative de contact' });
    await attempt.getByLabel('Moyen').selectOption('phone');
    await attempt.getByLabel('Résultat').selectOption('reached');
    await attempt.getByRole('button', { name: 'Noter la tentative' }).click();
    await expect(page.locator('.fr-badge', { hasText: 'Diagnostic' }).first()).toBeVisible();

    // Before any need: the panel says what to do.
    const panel = page.locator('#propositions');
    await expect(panel).toContainText('Enregistrez un diagnostic avec au moins un besoin');

    // Needs in priority order: a job first, then a CV.
    const diag = page.locator('#formulaire-diagnostic');
    await diag.getByLabel('Filtrer la liste des besoins').fill('offres');
    await diag.getByLabel('Répondre à des offres d’emploi').check({ force: true });
    await diag.getByLabel('Filtrer la liste des besoins').fill('cv');
    await diag.getByLabel('Réaliser un CV et/ou une lettre de motivation').check({ force: true });
    await page.getByRole('button', { name: 'Enregistrer le diagnostic' }).click();
    await expect(page.locator('#diagnostic-etat')).toHaveText('Enregistré');
    await page.reload();

    const first = panel.locator('.sas-match').first();
    await expect(first.getByRole('heading', { level: 3 })).toContainText('1. ');
    const job = panel.locator('.sas-match', { has: page.getByRole('heading', { name: /Accompagnement vers l’emploi des jeunes/ }) });
    await expect(job).toBeVisible();
    await expect(job.getByRole('list', { name: 'Critères remplis' })).toContainText('Répond au besoin n° 1 : Répondre à des offres d’emploi');
    await expect(job.getByRole('list', { name: 'Critères non remplis' })).toContainText('Ne répond pas au besoin n° 2');
    await expect(job).toContainText('km');
    // A draft is never proposed; a service for another need neither.
    await expect(panel).not.toContainText('Atelier cuisine');
    await expect(panel).not.toContainText('Ateliers numériques pour tous');
    const exclude = job.getByRole('button', { name: 'Exclure' });
    await checkPage(page, '40-propositions', { action: exclude });

    await exclude.click();
    const form = page.getByRole('form', { name: 'Exclure « Accompagnement vers l’emploi des jeunes »' });
    await form.getByRole('button', { name: 'Confirmer l’exclusion' }).click();
    await expect(form).toContainText('Choisissez un motif.');
    await form.getByLabel('Motif').selectOption('other');
    await form.getByRole('button', { name: 'Confirmer l’exclusion' }).click();
    await expect(form).toContainText('Précisez le motif.');
    await form.getByLabel('Précisez').fill('Déjà inscrite là-bas l’an dernier');
    await checkPage(page, '41-exclure', { action: form.getByRole('button', { name: 'Confirmer l’exclusion' }) });
    await form.getByRole('button', { name: 'Confirmer l’exclusion' }).click();
    await expect(page.getByText('« Accompagnement vers l’emploi des jeunes » est écarté des propositions.')).toBeVisible();
    await expect(panel.getByRole('heading', { name: /Accompagnement vers l’emploi des jeunes/ })).toHaveCount(0);
    const excluded = panel.getByRole('list', { name: /Services écartés/ });
    await expect(excluded).toContainText('Autre motif : Déjà inscrite là-bas l’an dernier');
    const undo = excluded.getByRole('button', { name: 'Remettre « Accompagnement vers l’emploi des jeunes » dans les propositions' });
    await checkPage(page, '42-services-ecartes', { action: undo });
    await undo.click();
    await expect(page.getByText('« Accompagnement vers l’emploi des jeunes » est de nouveau proposé.')).toBeVisible();
    await expect(job).toBeVisible();
    await expect(panel.getByRole('list', { name: /Services écartés/ })).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});
