import { expect, test } from '@playwright/test';
import { ACCOUNTS, checkPage, login } from './helpers';

test.describe('Pages réservées', () => {
  test('the prescriber cannot reach counsellor or admin pages', async ({ page }) => {
    await login(page, ACCOUNTS.prescriber);
    await expect(page).toHaveURL(/\/signalements$/);
    // (« /pilotage » is open to them: « Mes chiffres », their structure's figures.)
    for (const path of ['/file-attente', '/admin/structures', '/admin/comptes']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: 'Accès non autorisé' })).toBeVisible();
      await expect(page.locator('table')).toHaveCount(0);
    }
    await expect(page).toHaveTitle('Accès non autorisé – SAS');
    await expect(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'File d’attente' })).toHaveCount(0);
    await checkPage(page, '09-acces-refuse');
  });

  test('the counsellor cannot open the referral form', async ({ page }) => {
    await login(page, ACCOUNTS.counsellor);
    await expect(page).toHaveURL(/\/file-attente$/);
    await page.goto('/signalements/nouveau');
    await expect(page.getByRole('heading', { level: 1, name: 'Accès non autorisé' })).toBeVisible();
  });

  test('the accessibility statement and the privacy page are open to all', async ({ page }) => {
    await page.goto('/accessibilite');
    await expect(page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' })).toBeVisible();
    await checkPage(page, '26-accessibilite');
    await page.getByRole('link', { name: 'Données personnelles' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Données personnelles' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    await checkPage(page, '27-donnees-personnelles');
  });

  test('an unknown address shows a French not-found page', async ({ page }) => {
    await page.goto('/nulle-part');
    await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
    await checkPage(page, '10-page-introuvable');
  });
});
