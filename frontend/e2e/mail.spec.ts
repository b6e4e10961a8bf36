import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { ACCOUNTS, checkPage, decodeText, login, uniqueName } from './helpers';

/** The text of the mail last received by `address` in the Maildir of scripts/e2e.sh's SMTP
 *  server (aiosmtpd), decoded (quoted-printable or base64 parts). Waits up to 20 s. */
async function mailTo(address: string): Promise<string> {
  const dir = `${process.env.E2E_MAILDIR}/new`;
  let found = '';
  await expect
    .poll(() => {
      let files: string[] = [];
      try {
        files = readdirSync(dir).sort();
      } catch {
        return '';
      }
      for (const f of files.reverse()) {
        const raw = readFileSync(`${dir}/${f}`, 'utf8');
        const to = /^To:.*$/im.exec(raw)?.[0] ?? '';
        if (to.includes(address)) {
          found = decodeText(raw);
          return found;
        }
      }
      return '';
    }, { timeout: 20000, message: `a mail to ${address}` })
    .not.toBe('');
  return found;
}

function linkIn(text: string): string {
  const m = /https?:\/\/\S+#jeton=[A-Za-z0-9_-]+/.exec(text);
  expect(m, `a link in: ${text}`).not.toBeNull();
  return new URL(m![0]).pathname + new URL(m![0]).hash;
}

test.describe('Courriels et liens', () => {
  test('an invited person chooses their password from the mail link', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await page.goto('/admin/comptes/nouveau');
    const email = `${uniqueName('invite')}@exemple.fr`;
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Prénom').fill('Inès');
    await page.getByLabel('Nom', { exact: true }).fill('Garnier');
    await page.getByRole('checkbox', { name: 'Administrateur', exact: true }).check({ force: true });
    await page.locator('#compte-reason').fill('Arrivée');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await expect(page.getByText('Le compte de Inès Garnier est enregistré.')).toBeVisible();
    const text = await mailTo(email);
    expect(text).not.toContain('Garnier');
    await page.context().clearCookies();
    await page.goto(linkIn(text));
    await expect(page.getByRole('heading', { level: 1, name: 'Activez votre compte' })).toBeVisible();
    const save = page.getByRole('button', { name: 'Enregistrer mon mot de passe' });
    await save.click();
    await expect(page.locator('#lien-nouveau-mot-de-passe-error')).toBeVisible();
    await checkPage(page, '40-invitation-erreur', { action: save });
    await page.locator('#lien-nouveau-mot-de-passe').fill('une phrase assez longue');
    await page.locator('#lien-confirmation').fill('une phrase assez longue');
    await save.click();
    await expect(page.getByText('Votre mot de passe est enregistré.')).toBeVisible();
    await checkPage(page, '41-invitation-faite', { action: page.getByRole('link', { name: 'Se connecter' }) });
    await login(page, email, 'une phrase assez longue');
  });

  test('anyone asks for a reset link and sets a new password with it', async ({ page }) => {
    await page.goto('/connexion');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mot de passe oublié' })).toBeVisible();
    const ask = page.getByRole('button', { name: 'Recevoir un lien' });
    await checkPage(page, '42-mot-de-passe-oublie', { action: ask });
    await page.getByLabel('Adresse électronique').fill(ACCOUNTS.pilot);
    await ask.click();
    await expect(page.getByText('Si un compte utilise cette adresse')).toBeVisible();
    await checkPage(page, '43-lien-envoye');
    const text = await mailTo(ACCOUNTS.pilot);
    await page.goto(linkIn(text));
    await expect(page.getByRole('heading', { level: 1, name: 'Choisissez un nouveau mot de passe' })).toBeVisible();
    await checkPage(page, '44-nouveau-mot-de-passe', { action: page.getByRole('button', { name: 'Enregistrer mon mot de passe' }) });
    // The demo password stays the demo password (other tests use it).
    await page.locator('#lien-nouveau-mot-de-passe').fill('demo-sas-2026!');
    await page.locator('#lien-confirmation').fill('demo-sas-2026!');
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await expect(page.getByText('Votre mot de passe est enregistré.')).toBeVisible();
    // Single use (a fresh load of the page: the same URL would only change its fragment).
    await page.goto('/connexion');
    await page.goto(linkIn(text));
    await page.locator('#lien-nouveau-mot-de-passe').fill('demo-sas-2026!');
    await page.locator('#lien-confirmation').fill('demo-sas-2026!');
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await expect(page.getByText('Ce lien a déjà servi.').first()).toBeVisible();
  });

  test('a prescriber reads their notifications and chooses the daily digest', async ({ page }) => {
    await login(page, ACCOUNTS.prescriber);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes notifications' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes notifications' })).toBeVisible();
    const digest = page.getByLabel('Un résumé par jour (le matin)');
    await expect(page.getByLabel('Un courriel à chaque notification')).toBeChecked();
    await checkPage(page, '45-mes-notifications');
    await digest.check({ force: true });
    await expect(page.getByText('Votre choix est enregistré.')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Un résumé par jour (le matin)')).toBeChecked();
    await page.getByLabel('Un courriel à chaque notification').check({ force: true });
    await expect(page.getByText('Votre choix est enregistré.')).toBeVisible();
  });

  test('the admin sees the jobs and the partners’ webhooks', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Tâches' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Tâches de fond' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Tâches périodiques' })).toBeVisible();
    await checkPage(page, '46-taches');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks des partenaires' })).toBeVisible();
    await checkPage(page, '47-webhooks');
  });
});
