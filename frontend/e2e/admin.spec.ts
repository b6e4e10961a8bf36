import { expect, test } from '@playwright/test';
import { ACCOUNTS, checkPage, login, uniqueName } from './helpers';

test.describe('Administration', () => {
  test('the admin creates and edits a structure, with errors shown next to fields', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await expect(page.getByRole('heading', { level: 1, name: 'Structures' })).toBeVisible();
    await expect(page.getByRole('row', { name: /Mission Locale de Lyon/ })).toBeVisible();
    const add = page.getByRole('link', { name: 'Ajouter une structure' });
    await checkPage(page, '07b-structures', { action: add });
    await checkPage(page, '07c-structures-ligne', { action: page.getByRole('link', { name: 'Mission Locale de Lyon' }) });
    await add.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ajouter une structure' })).toBeVisible();
    const name = `Espace jeunes ${uniqueName('')}`;
    await page.getByLabel('Nom', { exact: true }).fill(name);
    await page.getByLabel('SIRET (facultatif)').fill('73282932000075');
    // Every administrative change says why (kept in the administration journal).
    await page.locator('#structure-reason').fill('Nouvelle structure partenaire');
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Le formulaire contient 3 erreurs' });
    await expect(summary).toBeFocused();
    await expect(page.locator('#structure-siret-error')).toContainText('clé de contrôle');
    await checkPage(page, '21-structure-erreurs');
    await page.getByLabel('Type de structure').selectOption('ASSO');
    await page.getByLabel('SIRET (facultatif)').fill('73282932000074');
    await page.getByLabel('Structure d’accueil (reçoit des relais)').check({ force: true });
    await page.getByRole('button', { name: 'Créer la structure' }).click();
    await expect(page).toHaveURL(/\/admin\/structures$/);
    await expect(page.getByText(`La structure « ${name} » est enregistrée.`)).toBeVisible();
    await page.getByLabel('Nom de la structure').fill(name);
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Modifier « ${name} »` })).toBeVisible();
    await expect(page.getByLabel('SIRET (facultatif)')).toHaveValue('73282932000074');
    await checkPage(page, '25-structure-modifier');
    await page.getByLabel('Code postal (facultatif)').fill('69100');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    // The motif is asked again for each change.
    await expect(page.locator('#structure-reason-error')).toContainText('Indiquez le motif');
    await page.locator('#structure-reason').fill('Déménagement à Villeurbanne');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await expect(page.getByText(`La structure « ${name} » est enregistrée.`)).toBeVisible();
  });

  test('the admin creates, edits and deactivates an account', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Comptes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Comptes' })).toBeVisible();
    const create = page.getByRole('link', { name: 'Créer un compte' });
    await checkPage(page, '22-comptes', { action: create });
    await checkPage(page, '22b-comptes-ligne', { action: page.getByRole('link', { name: 'Awa Aiguilleuse' }) });
    await create.click();
    // Sent empty: the email is asked for, not called invalid; optional fields say so.
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await expect(page.locator('#compte-email-error')).toHaveText('Indiquez l’adresse électronique de la personne.');
    await expect(page.getByLabel('Structure (facultatif)')).toBeVisible();
    // The structure comes before the roles it allows.
    const order = await page.evaluate(() => {
      const s = document.getElementById('compte-structure-id');
      const r = document.getElementById('compte-roles');
      return s && r ? s.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeTruthy();
    await checkPage(page, '22c-compte-vide', { action: page.getByRole('button', { name: 'Créer le compte' }) });
    const email = `${uniqueName('agent')}@exemple.fr`;
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Prénom').fill('Chloé');
    await page.getByLabel('Nom', { exact: true }).fill('Durand');
    // No password: an invitation is mailed (the default; mail.spec.ts follows its link).
    await page.getByRole('checkbox', { name: 'Prescripteur', exact: true }).check({ force: true });
    await page.locator('#compte-structure-id').selectOption({ label: 'E2C Lyon Métropole' });
    await page.locator('#compte-reason').fill('Arrivée d’une conseillère');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    // E2C is not a prescriber structure: the API refuses the role, shown on the roles.
    await expect(page.locator('#compte-roles-error')).toHaveText('La structure choisie ne permet pas ce rôle.');
    await checkPage(page, '23-compte-erreur');
    await page.locator('#compte-structure-id').selectOption({ label: 'Mission Locale de Lyon' });
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await expect(page).toHaveURL(/\/admin\/comptes$/);
    await expect(page.getByText('Le compte de Chloé Durand est enregistré.')).toBeVisible();
    await page.getByLabel('Nom ou adresse électronique').fill(email);
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.getByRole('link', { name: 'Chloé Durand' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Compte de Chloé Durand' })).toBeVisible();
    await page.getByRole('checkbox', { name: 'Structure d’accueil', exact: true }).check({ force: true });
    await page.locator('#compte-reason').fill('Reçoit aussi des relais');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await expect(page.getByText('Le compte de Chloé Durand est enregistré.')).toBeVisible();
    await page.getByRole('link', { name: 'Chloé Durand' }).click();
    await page.getByRole('button', { name: 'Désactiver le compte' }).click();
    await expect(page.locator('#compte-acces-motif-error')).toContainText('Indiquez le motif');
    await page.locator('#compte-acces-motif').fill('Départ de la structure');
    await page.getByRole('button', { name: 'Désactiver le compte' }).click();
    await page.getByRole('button', { name: 'Oui, désactiver le compte' }).click();
    await expect(page.getByText('Le compte de Chloé Durand est désactivé')).toBeVisible();
    await checkPage(page, '24-compte-desactive');
  });
});
