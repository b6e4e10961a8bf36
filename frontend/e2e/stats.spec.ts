import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, checkPage, login, logout, watchErrors } from './helpers';

/** The quarter before today's, as the period select names it (« 3e trimestre 2026 »). */
function previousQuarterLabel(): string {
  const d = new Date();
  let q = Math.floor(d.getMonth() / 3) + 1;
  let y = d.getFullYear();
  if (q === 1) { q = 4; y -= 1; } else { q -= 1; }
  return `${q === 1 ? '1er' : `${q}e`} trimestre ${y}`;
}

/** Every figure of the funnel's table: a number, « masqué » or « bientôt disponible ». */
async function funnelCells(page: Page): Promise<string[]> {
  return page.locator('#tableau-parcours tbody td').allTextContents();
}

test.describe('Pilotage', () => {
  test('the pilot reads the funnel and the indicators of the territory, with tables and CSV', async ({ page }) => {
    const errors = watchErrors(page);
    await login(page, ACCOUNTS.pilot);
    await expect(page).toHaveURL(/\/pilotage$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Pilotage du territoire' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Pilotage' })).toHaveAttribute('aria-current', 'page');

    // The funnel: an SVG image whose description says every stage's figure.
    const chart = page.getByRole('img', { name: /Parcours des orientations transmises en/ });
    await expect(chart).toBeVisible();
    expect(await chart.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
    const desc = await chart.locator('desc').textContent();
    for (const stage of ['Transmises', 'Jointes', 'Diagnostiquées']) expect(desc).toContain(stage);
    // The demo's two referrals (and those of the other tests) were submitted this quarter:
    // from 1 to 4 they are « masqué », never 0 to 4.
    const submitted = page.locator('#tableau-parcours tbody tr').first().locator('td').last();
    await expect(submitted).toHaveText(/^(masqué|\d+)$/);
    const shown = ((await submitted.textContent()) ?? '').trim();
    if (shown !== 'masqué') expect(Number(shown.replace(/\s/g, ''))).toBeGreaterThanOrEqual(5);
    for (const cell of await funnelCells(page)) {
      expect(cell.trim()).toMatch(/^(masqué|bientôt disponible|[\d\s\u202f]+)$/);
      expect(cell.trim()).not.toMatch(/^[1-4]$/);
    }

    // The indicators, grouped by hypothesis, each with its definition one click away.
    await expect(page.getByRole('heading', { level: 2, name: /^H1/ })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: /^H2/ })).toBeVisible();
    const contact = page.getByRole('article', { name: 'Taux de contact' });
    await expect(contact).toBeVisible();
    await expect(contact.locator('.sas-stat-card__value')).toHaveText(/masqué|%|bientôt disponible/);
    await contact.getByText('Définition', { exact: true }).click();
    await expect(contact.getByText(/Part des orientations jointes/)).toBeVisible();
    await checkPage(page, '70-pilotage');

    // The funnel's table, a real table, and its CSV.
    await page.locator('section[aria-labelledby="parcours"] summary', { hasText: 'Afficher le tableau' }).click();
    const table = page.locator('#tableau-parcours');
    await expect(table.locator('caption')).toContainText('Parcours des orientations');
    await expect(table.locator('thead th[scope="col"]').first()).toHaveText('Étape');
    await expect(table.locator('tbody th[scope="row"]').first()).toHaveText('Transmises');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Télécharger le tableau \(CSV\) — Parcours/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^parcours-\d{4}-Q[1-4]\.csv$/);
    const csv = readFileSync(await file.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^Étape,.*Total de la période$/);
    expect(csv).toContain('Transmises,');
    // The breakdown: each prescriber kind, then its structures (no identifier, names only).
    await page.locator('section[aria-labelledby="parcours"] summary', { hasText: 'Par type de prescripteur et par structure' }).click();
    const detail = page.locator('#tableau-parcours-detail');
    await expect(detail.locator('thead th').first()).toHaveText('Prescripteur');
    await expect(detail.locator('tbody tr.sas-row--parent').first()).toBeVisible();
    await expect(detail.locator('tbody tr.sas-row--child').first()).toBeVisible();
    await checkPage(page, '71-pilotage-tableau');

    // Last quarter had no referral: a true 0 is shown as 0.
    await page.getByLabel('Période').selectOption({ label: previousQuarterLabel() });
    await expect(page.getByRole('status').filter({ hasText: previousQuarterLabel() })).toBeVisible();
    await page.locator('section[aria-labelledby="parcours"] summary', { hasText: 'Afficher le tableau' }).click();
    await expect(page.locator('#tableau-parcours tbody tr').first().locator('td').last()).toHaveText('0');
    // A past month end as the date of the figures.
    const asOf = page.getByLabel('Chiffres arrêtés au');
    await expect(asOf.locator('option')).not.toHaveCount(1);
    await asOf.selectOption({ index: 1 });
    await expect(page.getByRole('status').filter({ hasText: /chiffres arrêtés au \d+/ })).toBeVisible();
    await checkPage(page, '72-pilotage-trimestre-passe');
    expect(errors).toEqual([]);
  });

  test('the administrator picks a territory; the counsellor finds « Pilotage » in the menu', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await page.goto('/pilotage');
    const territory = page.locator('#stats-territoire');
    await expect(territory).toBeVisible();
    await expect(territory.locator('option:checked')).toContainText(/Lyon/);
    await expect(page.getByRole('img', { name: /Parcours des orientations/ })).toBeVisible();
    await checkPage(page, '73-pilotage-admin');
    await logout(page);

    await login(page, ACCOUNTS.counsellor);
    await page.getByRole('link', { name: 'Pilotage' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pilotage du territoire' })).toBeVisible();
    await expect(page.getByRole('img', { name: /Parcours des orientations/ })).toBeVisible();
    await expect(page.locator('#stats-territoire')).toHaveCount(0);
  });

  test('the pilot sets a target, reads its verdict, and exports every figure as CSV', async ({ page }) => {
    await login(page, ACCOUNTS.pilot);
    await expect(page.getByRole('img', { name: /Parcours des orientations/ })).toBeVisible();

    // The export of the API, fetched with the session and saved.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporter tous les chiffres (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^sas-chiffres-\d{4}-Q[1-4]\.csv$/);
    const csv = readFileSync(await file.path(), 'utf8');
    expect(csv.length).toBeGreaterThan(20);

    // A target out of range is refused on its field.
    await page.getByText('Fixer les objectifs', { exact: true }).click();
    const contact = page.locator('#objectif-h2-contact');
    await contact.fill('120');
    const save = page.getByRole('button', { name: 'Enregistrer les objectifs' });
    await save.click();
    await expect(page.locator('#objectif-h2-contact-error')).toHaveText('Un pourcentage entre 0 et 100.');
    await checkPage(page, '74-pilotage-objectifs-refus', { action: save });

    // 60 %: saved, and the card says the target and its verdict.
    await contact.fill('60');
    await save.click();
    await expect(page.getByText('Objectifs enregistrés : les verdicts sont recalculés.')).toBeVisible();
    const card = page.getByRole('article', { name: 'Taux de contact' });
    await expect(card).toContainText('Objectif : au moins 60 %');
    await expect(card.locator('.fr-badge')).toHaveText(/^(Objectif atteint|Objectif non atteint|Trop peu de données)$/);
    await checkPage(page, '75-pilotage-objectif', { action: save });

    // Read again after a reload: the field keeps it.
    await page.reload();
    await page.getByText('Fixer les objectifs', { exact: true }).click();
    await expect(page.locator('#objectif-h2-contact')).toHaveValue('60');
  });

  test('a prescriber and a receiver see « Mes chiffres », their structure’s figures', async ({ page }) => {
    for (const who of [ACCOUNTS.prescriber, ACCOUNTS.receiver]) {
      await login(page, who);
      await page.getByRole('link', { name: 'Mes chiffres' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Mes chiffres' })).toBeVisible();
      await expect(page.getByRole('img', { name: /^Parcours des (orientations|relais)/ })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Objectifs du territoire' })).toHaveCount(0);
      await checkPage(page, who === ACCOUNTS.prescriber ? '76-mes-chiffres-prescripteur' : '77-mes-chiffres-accueil');
      await logout(page);
    }
  });
});
