import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { ACCOUNTS, checkPage, login } from './helpers';

const fixtures = join(__dirname, '..', '..', 'tests', 'fixtures', 'offer');

test.describe('Import of the offer', () => {
  test('the admin imports a data·inclusion file and reads its report', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Import de l’offre' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Importer l’offre data·inclusion' })).toBeVisible();
    const submit = page.getByRole('button', { name: 'Importer le fichier' });
    await checkPage(page, '60-import', { action: submit });
    // Sent empty: the file and the motif are asked for.
    await submit.click();
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
    await expect(summary).toBeFocused();
    await expect(page.locator('#import-file-error')).toContainText('Choisissez le fichier');
    await expect(page.locator('#import-reason-error')).toContainText('Indiquez le motif');
    await checkPage(page, '61-import-erreurs');

    // Larger than SAS_IMPORT_MAX_BYTES (scripts/e2e.sh sets it to 64 KiB): a real 413.
    await page.getByLabel('Fichier').setInputFiles({
      name: 'services-trop-gros.json',
      mimeType: 'application/json',
      buffer: Buffer.alloc(70 * 1024, ' '),
    });
    await page.getByLabel('Motif').fill('Édition trop grosse');
    await submit.click();
    await expect(page.getByText('Ce fichier est trop volumineux')).toBeVisible();

    // The structures first: 2 created, 3 rejected with their reasons.
    await page.getByLabel('Fichier').setInputFiles(join(fixtures, 'structures-inclusion-2026-11-24.json'));
    await page.getByLabel('Motif').fill('Édition du 24 novembre');
    await submit.click();
    const status = page.getByRole('status').filter({ hasText: 'Import terminé' });
    await expect(status).toContainText('5 lignes lues');
    const figures = page.getByRole('table', { name: 'Résultat par ligne' });
    await expect(figures.getByRole('row', { name: /Créés/ })).toContainText('2');
    await expect(figures.getByRole('row', { name: /Refusés/ })).toContainText('3');
    const refused = page.getByRole('table', { name: 'Lignes refusées et leur motif' });
    await expect(refused.getByRole('row', { name: /dora-s4/ })).toContainText('siret: invalid_siret');
    await checkPage(page, '62-import-rapport', { action: submit });

    // Then the services of that source.
    await page.getByLabel('Fichier').setInputFiles(join(fixtures, 'services-inclusion-2026-11-24.json'));
    await page.getByLabel('Motif').fill('Services du 24 novembre');
    await submit.click();
    await expect(page.getByRole('heading', { level: 2, name: 'Import de « services-inclusion-2026-11-24.json »' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Import terminé' })).toContainText('lignes lues');
    await expect(figures.getByRole('row', { name: /Créés/ })).toContainText('3');
    await expect(figures.getByRole('row', { name: /Refusés/ })).toContainText('5');
  });
});
