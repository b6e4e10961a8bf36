import { expect, test } from '@playwright/test';
import { ACCOUNTS, checkPage, fillReferral, isoDate, login, logout, uniqueName } from './helpers';

test.describe('File d’attente', () => {
  test('an urgent referral comes first in the counsellor’s queue and is taken', async ({ page, browser }) => {
    // The prescriber refers a young person whose accompaniment ended 40 days ago: urgent.
    const lastName = uniqueName('Urgent');
    await login(page, ACCOUNTS.prescriber);
    await page.goto('/signalements/nouveau');
    await fillReferral(page, { firstName: 'Yanis', lastName, birthDate: isoDate(0, -19), exitDate: isoDate(-40) });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page).toHaveURL(/\/dossiers\//);
    await logout(page);

    await login(page, ACCOUNTS.counsellor);
    await expect(page).toHaveURL(/\/file-attente$/);
    const firstRow = page.locator('#file-attente tbody tr').first();
    await expect(firstRow).toContainText(`Yanis ${lastName}`);
    await expect(firstRow).toContainText('Urgent');
    await expect(firstRow).toContainText('J+40');
    await expect(firstRow.locator('.fr-sr-only')).toHaveText('fin d’accompagnement dépassée de 40 jours');
    await checkPage(page, '18-file-attente');

    // A colleague's screen still shows it as "to take".
    const other = await browser.newPage();
    await login(other, ACCOUNTS.counsellor);
    await expect(other.locator('#file-attente tbody tr').first()).toContainText(`Yanis ${lastName}`);

    await firstRow.getByRole('button', { name: `Prendre en charge le dossier de Yanis ${lastName}` }).click();
    await expect(page).toHaveURL(/\/dossiers\//);
    await expect(page.getByText(`Vous avez pris en charge le dossier de Yanis ${lastName}`)).toBeVisible();
    await expect(page.locator('.fr-badge', { hasText: 'Prise de contact' }).first()).toBeVisible();
    await expect(page.getByText('Awa Aiguilleuse').first()).toBeVisible();
    await expect(page.getByText('Pris en charge par l’équipe SAS')).toBeVisible();
    await checkPage(page, '19-dossier-aiguilleur');

    // The colleague tries too: refused (409), told so, and the queue is refreshed.
    await other.locator('#file-attente tbody tr').first()
      .getByRole('button', { name: `Prendre en charge le dossier de Yanis ${lastName}` }).click();
    await expect(other.getByText('Ce dossier vient de changer de statut')).toBeVisible();
    await expect(other.getByRole('row', { name: new RegExp(lastName) })).toHaveCount(0);
    await other.close();

    // It is now in "Mes dossiers".
    await page.getByRole('link', { name: 'File d’attente' }).first().click();
    await page.getByText('Mes dossiers').click();
    await expect(page.getByRole('row', { name: new RegExp(lastName) })).toContainText('Prise de contact');
    await checkPage(page, '20-mes-dossiers');
  });
});
