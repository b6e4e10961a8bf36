import { expect, test } from '@playwright/test';
import { ACCOUNTS, checkPage, fillReferral, isoDate, login, logout, uniqueName } from './helpers';

test.describe('File d’attente', () => {
  test('an urgent referral comes first in the counsellor’s queue and is assigned', async ({ page, browser }) => {
    // The prescriber refers a young person whose accompaniment ended 40 days ago: urgent.
    const lastName = uniqueName('Urgent');
    await login(page, ACCOUNTS.prescriber);
    await page.goto('/signalements/nouveau');
    await fillReferral(page, { firstName: 'Yanis', lastName, birthDate: isoDate(0, -19), exitDate: isoDate(-40) });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page).toHaveURL(/\/dossiers\//);
    const referralUrl = page.url();
    await logout(page);

    await login(page, ACCOUNTS.counsellor);
    await expect(page).toHaveURL(/\/file-attente$/);
    const firstRow = page.locator('#file-attente tbody tr').first();
    await expect(firstRow).toContainText(`Yanis ${lastName}`);
    await expect(firstRow).toContainText('Urgent');
    await expect(firstRow).toContainText('J+40');
    await expect(firstRow.locator('.fr-sr-only')).toHaveText('fin d’accompagnement dépassée de 40 jours');
    const assign = firstRow.getByRole('button', { name: `M’attribuer le dossier de Yanis ${lastName}` });
    // Usable on a phone: no sideways scroll, the row's action on screen.
    await checkPage(page, '18-file-attente', { action: assign });

    // A colleague's screen still shows it as "to assign".
    const other = await browser.newPage();
    await login(other, ACCOUNTS.counsellor);
    await expect(other.locator('#file-attente tbody tr').first()).toContainText(`Yanis ${lastName}`);

    await assign.click();
    await expect(page).toHaveURL(/\/dossiers\//);
    await expect(page.getByText(`Le dossier de Yanis ${lastName} vous est attribué. À vous de le contacter.`)).toBeVisible();
    await expect(page.locator('.fr-badge', { hasText: 'Prise de contact' }).first()).toBeVisible();
    await expect(page.getByText('Dossier attribué à Awa Aiguilleuse')).toBeVisible();
    // The timeline shows dots, not the DSFR's list numbers on top of them.
    const marker = await page.locator('.sas-timeline__item').first().evaluate((e) => getComputedStyle(e, '::marker').content);
    expect(marker).toBe('none');
    // "Pris en charge" is the receiving structure's word: never used for an assignment.
    await expect(page.locator('main')).not.toContainText(/pris en charge|prendre en charge/i);
    await checkPage(page, '19-dossier-aiguilleur');

    // The colleague tries too: refused, told so, and the queue is refreshed.
    await other.locator('#file-attente tbody tr').first()
      .getByRole('button', { name: `M’attribuer le dossier de Yanis ${lastName}` }).click();
    await expect(other.getByText('Ce dossier vient de changer de statut')).toBeVisible();
    await expect(other.getByRole('row', { name: new RegExp(lastName) })).toHaveCount(0);
    await other.close();

    // It is now in "Mes dossiers".
    await page.getByRole('link', { name: 'File d’attente' }).first().click();
    // A working queue asks for open referrals only.
    const asked = page.waitForRequest((r) => /\/api\/v1\/referrals\?.*assigned_to_me=true/.test(r.url()));
    await page.getByText('Mes dossiers').click();
    expect(new URL((await asked).url()).searchParams.get('open')).toBe('true');
    const mine = page.getByRole('row', { name: new RegExp(lastName) });
    await expect(mine).toContainText('Prise de contact');
    await expect(mine).toContainText('Attribué à Awa Aiguilleuse');
    await checkPage(page, '20-mes-dossiers', { action: mine.getByRole('link', { name: `Yanis ${lastName}` }) });

    // The prescriber reads the same word in the timeline.
    await logout(page);
    await login(page, ACCOUNTS.prescriber);
    await page.goto(referralUrl);
    await expect(page.getByText(/^Dossier attribué à/)).toBeVisible();
    await expect(page.locator('main')).not.toContainText(/pris en charge/i);
  });

  test('a submitted referral is assigned from its own page', async ({ page }) => {
    const lastName = uniqueName('Page');
    await login(page, ACCOUNTS.prescriber);
    await page.goto('/signalements/nouveau');
    await fillReferral(page, { firstName: 'Inès', lastName, birthDate: isoDate(0, -24) });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page).toHaveURL(/\/dossiers\//);
    const url = page.url();
    await logout(page);
    await login(page, ACCOUNTS.counsellor);
    await page.goto(url);
    const assign = page.getByRole('button', { name: 'M’attribuer ce dossier' });
    await checkPage(page, '19b-dossier-a-attribuer', { action: assign });
    await assign.click();
    await expect(page.getByText(`Le dossier de Inès ${lastName} vous est attribué.`)).toBeVisible();
    await expect(assign).toHaveCount(0);
    await expect(page.getByText('Dossier attribué à Awa Aiguilleuse')).toBeVisible();
  });
});
