import { expect, Locator, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

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

/** A date `days` from today in the demo territories' time zone (Europe/Paris), as
 *  `YYYY-MM-DD` (what `<input type="date">` takes). Not the UTC date: between 23:00 and
 *  midnight UTC it is already tomorrow in Paris, and the API counts days there. */
export function isoDate(days: number, years = 0): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years);
  d.setDate(d.getDate() + days);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(d);
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

/** The file whose offset moves the server's business time (scripts/e2e.sh starts the server
 *  with SAS_TEST_CLOCK_FILE pointing at it and passes it as E2E_CLOCK_FILE). */
function clockFile(): string {
  const f = process.env.E2E_CLOCK_FILE;
  if (!f) throw new Error('E2E_CLOCK_FILE is not set: run the browser tests through scripts/e2e.sh');
  return f;
}

/** The server's clock offset now, in seconds (0 when unmoved). */
export function clockOffsetSeconds(): number {
  const f = clockFile();
  const text = existsSync(f) ? readFileSync(f, 'utf8').trim() : '';
  return text === '' ? 0 : Number.parseInt(text, 10);
}

function writeClockOffset(seconds: number) {
  // Written whole, then renamed: the server reads the file on every call and never sees it
  // half written.
  const f = clockFile();
  writeFileSync(`${f}.tmp`, `${seconds}\n`);
  renameSync(`${f}.tmp`, f);
}

/**
 * Moves the server's business time `days` days forward (requests and job runner alike, at
 * once). Every session's tokens are then expired for the server: log in again. The jobs'
 * sweeps run against the moved time too (reminders, expiries), so a test that moves the
 * clock runs after the others (playwright.config.ts) and puts it back with `resetClock`.
 */
export function advanceClock(days: number) {
  writeClockOffset(clockOffsetSeconds() + Math.round(days * 86400));
}

/** The server's business time back to the wall clock. */
export function resetClock() {
  writeClockOffset(0);
}

/** The text part of a raw mail, decoded (quoted-printable or base64). */
export function decodeText(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const plain = parts.find((p) => /Content-Type: text\/plain/i.test(p)) ?? raw;
  const [head, ...rest] = plain.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The decoded texts of every mail `address` received so far in the Maildir of scripts/e2e.sh's
 *  SMTP server (aiosmtpd), oldest first. */
export function mailsTo(address: string): string[] {
  const dir = `${process.env.E2E_MAILDIR}/new`;
  let files: string[] = [];
  try {
    files = readdirSync(dir).map((f) => `${dir}/${f}`);
  } catch {
    return [];
  }
  return files
    .map((f) => ({ f, at: statSync(f).mtimeMs, raw: readFileSync(f, 'utf8') }))
    .filter((m) => (/^To:.*$/im.exec(m.raw)?.[0] ?? '').includes(address))
    .sort((a, b) => a.at - b.at)
    .map((m) => decodeText(m.raw));
}

/** Waits (up to 20 s) for a mail to `address` whose text holds `needle` (a link); returns it. */
export async function mailWith(address: string, needle: string): Promise<string> {
  let found = '';
  await expect
    .poll(() => {
      found = mailsTo(address).find((t) => t.includes(needle)) ?? '';
      return found;
    }, { timeout: 20000, message: `a mail to ${address} with ${needle}` })
    .not.toBe('');
  return found;
}
