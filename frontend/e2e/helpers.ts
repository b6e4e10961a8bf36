import { expect, Locator, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';

export const PASSWORD = 'demo-sas-2026!';
export const ACCOUNTS = {
  admin: 'admin@sas.demo',
  prescriber: 'prescripteur@sas.demo',
  counsellor: 'aiguilleur@sas.demo',
  receiver: 'accueil@sas.demo',
  pilot: 'pilote@sas.demo',
  missionLocale: 'mission-locale@sas.demo',
};

const screens = `${process.env.E2E_ARTIFACTS || '../target/e2e-artifacts'}/screens`;
mkdirSync(screens, { recursive: true });

/** Collects uncaught errors and Content-Security-Policy violations of the page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** The widths every page is checked at: a phone (375 px) and a desktop (1280 px). */
export const WIDTHS = [375, 1280] as const;

export interface PageChecks {
  /** The page's main action (the queue's first "M’attribuer", a form's submit…): it must be
   *  fully on screen at every width once scrolled to. */
  action?: Locator;
}

/**
 * The check every page's test makes, at 375 px and at 1280 px: no horizontal scroll of the
 * page, the main action visible and not cut, and axe-core (WCAG 2.0/2.1 A and AA plus best
 * practices: no serious or critical violation). Keeps a screenshot of both widths as
 * artifacts (`NAME-375.png`, `NAME.png`). Leaves the page at 1280 px.
 */
export async function checkPage(page: Page, name: string, checks: PageChecks = {}) {
  await page.waitForLoadState('networkidle');
  const height = page.viewportSize()?.height ?? 900;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height });
    await page.waitForFunction((w) => document.documentElement.clientWidth <= w, width);
    const overflow = await page.evaluate(() => {
      const root = document.documentElement;
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`);
      return { scroll: root.scrollWidth, client: root.clientWidth, wide };
    });
    expect(overflow.scroll, `${name} at ${width} px scrolls sideways (${overflow.wide.join(', ')})`)
      .toBeLessThanOrEqual(overflow.client);
    if (checks.action) {
      await checks.action.scrollIntoViewIfNeeded();
      await expect(checks.action, `${name} at ${width} px: the main action is visible`).toBeVisible();
      await expect(checks.action, `${name} at ${width} px: the main action is on screen`).toBeInViewport({ ratio: 1 });
    }
    const suffix = width === 1280 ? '' : `-${width}`;
    await page.screenshot({ path: `${screens}/${name}${suffix}.png`, fullPage: true });
    await axe(page, `${name}${suffix}`);
  }
}

/** axe-core on the page as it is now (the serious and critical violations fail the test). */
export async function axe(page: Page, name: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = blocking.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  test.info().annotations.push({
    type: 'axe',
    description: `${name}: ${results.violations.length} violation(s), ${blocking.length} serious/critical`,
  });
  for (const v of results.violations.filter((v) => !blocking.includes(v))) {
    console.log(`axe ${name}: ${v.impact} ${v.id} (${v.nodes.length})`);
  }
  expect(summary, `axe-core on ${name}`).toEqual([]);
}

export async function login(page: Page, email: string, password = PASSWORD, expectSuccess = true) {
  await page.goto('/connexion');
  await submitLogin(page, email, password);
  // Wait for the session (and its refresh cookie) before the test navigates on.
  if (expectSuccess) await expect(page).not.toHaveURL(/\/connexion$/);
}

/** Fills and sends the login form already on screen. */
export async function submitLogin(page: Page, email: string, password = PASSWORD) {
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion à SAS' })).toBeVisible();
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion à SAS' })).toBeVisible();
}

/** A date `days` from today, as `YYYY-MM-DD` (what `<input type="date">` takes). */
export function isoDate(days: number, years = 0): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years);
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A unique last name, so tests find their own referrals. */
export function uniqueName(prefix: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let n = Date.now() + Math.floor(Math.random() * 1000); n > 0; n = Math.floor(n / 26)) s += letters[n % 26];
  return `${prefix}${s.slice(0, 6)}`;
}

export interface Youth {
  firstName: string;
  lastName: string;
  birthDate: string;
  phone?: string;
  commune?: string;
  exitDate?: string;
  minor?: { name: string; phone?: string };
}

/** Fills the "Signaler un jeune" form (the prescriber is on it). */
export async function fillReferral(page: Page, y: Youth) {
  await page.getByLabel('Prénom', { exact: true }).fill(y.firstName);
  await page.getByLabel('Nom', { exact: true }).fill(y.lastName);
  await page.getByLabel('Date de naissance').fill(y.birthDate);
  await page.getByLabel(/^Téléphone du jeune/).fill(y.phone ?? '06 12 34 56 78');
  const commune = page.getByRole('combobox', { name: /Commune de résidence/ });
  await commune.fill(y.commune ?? 'Villeurbanne');
  await expect(page.getByRole('option').first()).toBeVisible();
  await commune.press('ArrowDown');
  await commune.press('Enter');
  if (y.minor) {
    await page.getByLabel('Nom et prénom du représentant légal').fill(y.minor.name);
    if (y.minor.phone) await page.getByLabel('Téléphone du représentant légal', { exact: true }).fill(y.minor.phone);
  }
  await page.getByLabel('Motif de fin d’accompagnement').selectOption('ase_exit');
  if (y.exitDate) await page.getByLabel('Date de fin de l’accompagnement actuel (facultatif)').fill(y.exitDate);
  await page.getByLabel(/J’ai lu cette notice au jeune/).check({ force: true });
  await page.getByLabel('Le jeune accepte d’être contacté par l’équipe SAS').check({ force: true });
}
