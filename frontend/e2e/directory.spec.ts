import { expect, test } from '@playwright/test';
import { ACCOUNTS, checkPage, login, uniqueName, watchErrors } from './helpers';

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
    await expect(page.getByRole('option').first()).toContainText('Villeurbanne');
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

test.describe('Mes services', () => {
  test('a receiving structure publishes its draft and adds a service', async ({ page }) => {
    const errors = watchErrors(page);
    await login(page, ACCOUNTS.receiver);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes services' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes services' })).toBeVisible();
    const list = page.getByRole('list', { name: /Services/ });
    await expect(list.getByRole('link', { name: 'Parcours E2C : remise à niveau et stages en entreprise' })).toBeVisible();
    await checkPage(page, '42-mes-services', { action: page.getByRole('link', { name: 'Ajouter un service' }) });
    await list.getByRole('button', { name: 'Publier « Atelier cuisine (en préparation) »' }).click();
    await expect(page.getByText('« Atelier cuisine (en préparation) » : publié.')).toBeVisible();

    await page.getByRole('link', { name: 'Ajouter un service' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Nouveau service' })).toBeVisible();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText('Ce champ est obligatoire.').first()).toBeVisible();
    await page.getByLabel('Nom du service').fill(uniqueName('Atelier permis'));
    await page.getByLabel('Description').fill('Préparer le code de la route avec un moniteur.');
    await page.getByLabel('En présentiel').check({ force: true });
    await page.getByLabel(/Âge minimum/).fill('16');
    await checkPage(page, '43-nouveau-service', { action: page.getByRole('button', { name: 'Enregistrer' }) });
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes services' })).toBeVisible();
    await expect(page.getByRole('list', { name: /Services/ }).getByRole('link', { name: /Atelier permis/ })).toBeVisible();
    expect(errors).toEqual([]);
  });
});
