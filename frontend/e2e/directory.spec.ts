import { expect, test } from '@playwright/test';
import { checkPage, watchErrors } from './helpers';

test.describe('Annuaire de l’offre', () => {
  test('a logged-out visitor finds a service near Villeurbanne, and the search is a link', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/annuaire');
    await expect(page.getByRole('heading', { level: 1, name: 'Trouver un accompagnement près de chez soi' })).toBeVisible();
    await checkPage(page, '40-annuaire', { action: page.getByRole('button', { name: 'Rechercher' }) });

    // Without a commune, the form says what is missing.
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByText('Choisissez une commune dans la liste.')).toBeVisible();

    const commune = page.getByRole('combobox', { name: /Commune/ });
    await commune.fill('Villeurbanne');
    await commune.press('ArrowDown');
    await expect(commune).toHaveAttribute('aria-activedescendant', /annuaire-commune-option-0/);
    await commune.press('Enter');
    await page.getByLabel(/Âge/).fill('17');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page).toHaveURL(/\/annuaire\?.*commune=69266/);
    const results = page.getByRole('list', { name: /Services/ });
    await expect(results.getByRole('heading', { name: 'Accompagnement vers l’emploi des jeunes' })).toBeVisible();
    await expect(results.getByText('Zone d’accueil non précisée')).toBeVisible();
    // The draft is never shown, nor the service closed to 17-year-olds (18 and over).
    await expect(page.getByText('Atelier cuisine (en préparation)')).toHaveCount(0);
    await expect(page.getByText('Atelier CV et lettre de motivation')).toHaveCount(0);
    await checkPage(page, '41-annuaire-resultats', { action: results.getByRole('heading').first() });

    // The address holds the search: opened again, it shows the same results.
    const url = page.url();
    await page.goto('about:blank');
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Services près de Villeurbanne (69100)' })).toBeVisible();
    await expect(page.getByRole('list', { name: /Services/ }).getByRole('heading', { name: 'Accompagnement vers l’emploi des jeunes' })).toBeVisible();
    await expect(page.getByLabel(/Âge/)).toHaveValue('17');

    // Keywords, accents ignored.
    await page.getByLabel(/Mots-clés/).fill('ateliers numeriques');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('list', { name: /Services/ }).getByRole('heading')).toHaveText(['Ateliers numériques pour tous']);
    expect(errors).toEqual([]);
  });
});
