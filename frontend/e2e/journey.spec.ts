// The whole journey across the four roles, in the browser (issue 13): the prescriber refers;
// the counsellor reaches the young person, diagnoses and relays from the matches; the first
// receiver refuses (no capacity); the counsellor relays elsewhere; the second receiver
// accepts and confirms the start; the server's clock moves to J+30; the receiver answers the
// J+30 checkpoint; the prescriber sees it in the closed loop. Each page at 375 px and
// 1280 px with axe; each mail of the journey read in the mail catcher. It moves the server's
// clock, so it runs after every other test (playwright.config.ts).
import { expect, Page, test } from '@playwright/test';
import {
  ACCOUNTS, PASSWORD, advanceClock, checkPage, fillReferral, isoDate, login, logout, mailWith,
  mailsTo, resetClock, uniqueName, watchErrors,
} from './helpers';

/** The second receiving structure of the journey: the demo's Mission locale de Lyon, whose
 *  agent both refers and receives, offers this service (created by the test). */
const ML_SERVICE = 'Contrat d’engagement jeune : accompagnement vers l’emploi';
const E2C_SERVICE = /Parcours E2C/;

async function authHeader(page: Page, email: string): Promise<{ Authorization: string }> {
  const res = await page.request.post('/api/v1/auth/token', {
    data: { grant_type: 'password', email, password: PASSWORD },
  });
  expect(res.status()).toBe(200);
  return { Authorization: `Bearer ${(await res.json()).access_token}` };
}

/** The Mission locale de Lyon publishes a service for young job seekers of the Métropole,
 *  through the API as its agent (once). */
async function mlService(page: Page) {
  const headers = await authHeader(page, ACCOUNTS.missionLocale);
  const mine = await (await page.request.get('/api/v1/services?limit=100', { headers })).json();
  if (mine.items.some((s: { nom: string; status: string }) => s.nom === ML_SERVICE && s.status === 'published')) return;
  const created = await page.request.post('/api/v1/services', {
    headers,
    data: {
      nom: ML_SERVICE,
      description: 'Un conseiller référent et un parcours intensif vers l’emploi ou la formation, avec une allocation.',
      type: 'accompagnement',
      thematiques: ['trouver-un-emploi--repondre-a-des-offres-demploi'],
      frais: 'gratuit',
      publics: ['jeunes'],
      code_insee: '69381',
      modes_accueil: ['en-presentiel'],
      zone_eligibilite: ['200046977'],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const s = await created.json();
  const published = await page.request.post(`/api/v1/services/${s.id}/publish`, {
    headers: { ...headers, 'If-Match': `"${s.version}"` },
  });
  expect(published.status(), await published.text()).toBe(200);
}

/** The counsellor's « Relayer » on the proposal `name`, then « Envoyer la demande ». */
async function relayFromMatches(page: Page, name: RegExp | string, structure: string, screen: string) {
  const proposal = page.locator('#propositions .sas-match', { has: page.getByRole('heading', { name }) });
  const relay = proposal.getByRole('button', { name: 'Relayer' });
  await expect(relay).toBeVisible();
  await checkPage(page, screen, { action: relay });
  await relay.click();
  const panel = page.getByRole('region', { name: 'Relais' });
  await expect(panel.getByLabel(/Service \(identifiant/)).not.toHaveValue('');
  await panel.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(panel.getByText(`Demande envoyée à ${structure}.`)).toBeVisible();
}

/** The receiver opens the request for `youth` from its inbox; returns the relay's id. An
 *  agent who also refers (`asReceiver`) first switches its active role, which opens the inbox. */
async function openRequest(page: Page, youth: string, asReceiver = false): Promise<string> {
  if (asReceiver) await page.getByLabel('Rôle actif').selectOption('receiver');
  else await page.goto('/relais');
  await expect(page.getByRole('heading', { level: 1, name: 'Demandes de relais' })).toBeVisible();
  await page.getByRole('link', { name: youth }).click();
  await expect(page.getByRole('heading', { level: 1, name: youth })).toBeVisible();
  const id = /\/relais\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(id, page.url()).toBeTruthy();
  return id!;
}

test.describe('Le parcours complet', () => {
  test.afterAll(() => resetClock());

  test('refer, reach, diagnose, relay, refused, relayed elsewhere, taken in charge, J+30 answered, seen by the prescriber', async ({ page }) => {
    test.setTimeout(240_000);
    const errors = watchErrors(page);
    await mlService(page);
    const first = 'Inès';
    const last = uniqueName('Parcours');
    const youth = `${first} ${last}`;

    // 1. The prescriber refers, with the young person's agreement to be presented.
    await login(page, ACCOUNTS.prescriber);
    await page.goto('/signalements/nouveau');
    await fillReferral(page, { firstName: first, lastName: last, birthDate: isoDate(0, -20) });
    await page.getByLabel(/Le jeune accepte que sa situation soit présentée/).check({ force: true });
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await expect(page).toHaveURL(/\/dossiers\//);
    const url = page.url();
    const referral = /\/dossiers\/([0-9a-f-]{36})/.exec(url)![1];
    await logout(page);

    // 2. The counsellor takes it, reaches the young person, writes the diagnostic.
    await login(page, ACCOUNTS.counsellor);
    await page.goto(url);
    await page.getByRole('button', { name: 'M’attribuer ce dossier' }).click();
    await expect(page.locator('.fr-badge', { hasText: 'Prise de contact' }).first()).toBeVisible();
    const attempt = page.getByRole('form', { name: 'Noter une tentative de contact' });
    await attempt.getByLabel('Moyen').selectOption('phone');
    await attempt.getByLabel('Résultat').selectOption('reached');
    await attempt.getByLabel('Note (facultatif)').fill('Joint, RDV pris pour le diagnostic.');
    await attempt.getByRole('button', { name: 'Noter la tentative' }).click();
    await expect(page.locator('.fr-badge', { hasText: 'Diagnostic' }).first()).toBeVisible();
    const diag = page.locator('#formulaire-diagnostic');
    await diag.getByLabel('Filtrer la liste des besoins').fill('offres');
    await diag.getByLabel('Répondre à des offres d’emploi').check({ force: true });
    await diag.getByLabel('Filtrer la liste des besoins').fill('métier');
    await diag.getByLabel('Découvrir un métier ou un secteur d’activité').check({ force: true });
    await diag.getByLabel('Synthèse pour la structure d’accueil (facultatif)').fill('Motivée, veut découvrir la logistique puis travailler.');
    await page.getByRole('button', { name: 'Enregistrer le diagnostic' }).click();
    await expect(page.locator('#diagnostic-etat')).toHaveText('Enregistré');
    await page.reload();

    // 3. It relays to the E2C from the matches.
    await relayFromMatches(page, E2C_SERVICE, 'E2C Lyon Métropole', '80-parcours-propositions');
    await logout(page);

    // 4. The E2C has no place left: it refuses.
    await login(page, ACCOUNTS.receiver);
    const refused = await openRequest(page, youth);
    await expect(page.getByText('Motivée, veut découvrir la logistique puis travailler.')).toBeVisible();
    await page.getByLabel('Motif (pour refuser ou signaler un échec)').selectOption('no_capacity');
    const refuse = page.getByRole('button', { name: 'Refuser' });
    await checkPage(page, '81-parcours-refus', { action: refuse });
    await refuse.click();
    await expect(page.getByText('Demande : refusée.')).toBeVisible();
    await logout(page);

    // 5. The counsellor reads the refusal and relays elsewhere.
    await login(page, ACCOUNTS.counsellor);
    await page.goto(url);
    const panel = page.getByRole('region', { name: 'Relais' });
    const e2c = panel.getByRole('listitem').filter({ hasText: 'E2C Lyon Métropole' });
    await expect(e2c).toContainText('Refusée');
    await expect(e2c).toContainText('Motif : Plus de place');
    await relayFromMatches(page, ML_SERVICE, 'Mission Locale de Lyon', '82-parcours-relais-ailleurs');
    await logout(page);

    // 6. The Mission locale accepts, then confirms the first appointment.
    await login(page, ACCOUNTS.missionLocale);
    const taken = await openRequest(page, youth, true);
    await page.getByRole('button', { name: 'Accepter' }).click();
    await expect(page.getByText('Demande : acceptée.')).toBeVisible();
    await page.getByRole('button', { name: 'Confirmer le premier rendez-vous' }).click();
    await expect(page.getByText('Demande : pris en charge.')).toBeVisible();
    const followUp = page.getByRole('region', { name: 'Points de suivi' });
    await expect(followUp).toContainText('À 30 jours');
    await expect(followUp).toContainText('à venir');
    await expect(followUp.getByRole('button', { name: 'Toujours accompagné' })).toHaveCount(0);
    await logout(page);

    // 7. A month later (the server's clock), the J+30 checkpoint is due: answered.
    advanceClock(30);
    await login(page, ACCOUNTS.missionLocale);
    expect(await openRequest(page, youth, true)).toBe(taken);
    await expect(followUp).toContainText('à renseigner');
    const still = followUp.getByRole('button', { name: 'Toujours accompagné' });
    await checkPage(page, '83-parcours-suivi-j30', { action: still });
    await still.click();
    await expect(page.getByText('Point de suivi à 30 jours enregistré.')).toBeVisible();
    await expect(followUp).toContainText('Toujours accompagné');
    await logout(page);

    // 8. The prescriber sees the closed loop: where, taken in charge, the J+30 answer.
    await login(page, ACCOUNTS.prescriber);
    await page.goto(url);
    const loop = page.getByRole('region', { name: 'Relais' });
    await expect(loop.getByRole('listitem').filter({ hasText: 'E2C Lyon Métropole' })).toContainText('Refusée');
    const ml = loop.getByRole('listitem').filter({ hasText: 'Mission Locale de Lyon' });
    await expect(ml).toContainText('Pris en charge');
    await expect(ml).toContainText('Suivi à 30 jours : toujours accompagné');
    // SAS-side reasons never reach the prescriber, nor any action.
    await expect(loop).not.toContainText('Plus de place');
    await expect(loop.getByRole('button')).toHaveCount(0);
    await checkPage(page, '84-parcours-boucle-prescripteur');

    // Every mail of the journey reached the mail catcher, each a link and no name.
    const mails = [
      await mailWith('accueil@sas.demo', `/relais/${refused}`),
      await mailWith('aiguilleur@sas.demo', `/dossiers/${referral}`),
      await mailWith('mission-locale@sas.demo', `/relais/${taken}`),
    ];
    await expect
      .poll(() => mailsWithLink('mission-locale@sas.demo', `/relais/${taken}`), { timeout: 20000, message: 'the checkpoint notice' })
      .toBeGreaterThanOrEqual(2);
    for (const m of mails) {
      expect(m).not.toContain(last);
      expect(m).not.toContain('06 12 34 56 78');
    }
    expect(errors).toEqual([]);
  });
});

/** How many mails to `address` carry `link` (the request, then the checkpoint notice). */
function mailsWithLink(address: string, link: string): number {
  return mailsTo(address).filter((t) => t.includes(link)).length;
}
