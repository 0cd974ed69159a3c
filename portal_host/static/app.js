// The dashboard app: reads the shell's configuration, then shows the page the
// address names, inside the frame (menu, who is signed in, sign out).
import './components/page-state.js';
import './components/status-badge.js';
import { ApiClient, ApiError } from './lib/api.js';
import { h, replaceContent } from './lib/dom.js';
import { Formats } from './lib/format.js';
import { Router } from './lib/router.js';
import { Session } from './lib/session.js';
import { isCurrent, notFound, readOnly, routes } from './routes.js';

const config = JSON.parse(document.getElementById('dashboard-config').textContent);
const session = new Session();
const api = new ApiClient({ url: config.graphqlUrl, operations: config.operations, session });
const main = document.getElementById('main');
const header = document.getElementById('site-header');
const footer = document.getElementById('site-footer');

let viewer = null;
let endedPreview = false;
let renders = 0;
// A message for the next page shown, after an action that moved elsewhere.
let notice = null;
const router = new Router(routes, show);
api.onUnauthenticated = () => forget();

function forget() {
  session.clear();
  // Whose session ended decides what the sign-in page says about it.
  endedPreview = Boolean(viewer?.isStaffPreview);
  viewer = null;
}

async function loadViewer() {
  const result = await api.run('Viewer');
  const found = result.data.viewer;
  return { ...found, rentalAvailable: Boolean(found.rentalOptions?.available) };
}

function explain(error) {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong while showing this page. Try again.';
}

async function show({ route, params, url }) {
  const generation = ++renders;
  const isFirst = generation === 1;
  route ??= notFound;
  if (!route.isPublic && !session.isSignedIn) {
    return router.navigate('/sign-in', { replace: true });
  }
  const state = document.createElement('hg-page-state').loading();
  replaceContent(main, state);
  main.setAttribute('aria-busy', 'true');
  try {
    if (session.isSignedIn && !viewer) viewer = await loadViewer();
    if (route.isAction && viewer?.isStaffPreview) route = readOnly;
    renderFrame(url.pathname);
    const module = await route.load();
    const page = await module.default(context(params, url));
    if (generation !== renders) return undefined;
    replaceContent(main, takeNotice(), page.content);
    const business = viewer?.account.name ?? 'Client dashboard';
    document.title = `${page.title ?? route.title} · ${business}`;
    if (!isFirst) main.querySelector('h1')?.focus();
  } catch (error) {
    if (generation !== renders) return undefined;
    if (error instanceof ApiError && error.kind === 'unauthenticated') {
      const ended = endedPreview ? 'preview-ended' : 'ended';
      return router.navigate(`/sign-in?${ended}=1`, { replace: true });
    }
    renderFrame(url.pathname);
    state.failed(explain(error), () => router.render());
  } finally {
    if (generation === renders) main.removeAttribute('aria-busy');
  }
  return undefined;
}

function takeNotice() {
  if (!notice) return null;
  const shown = h('p', { class: 'notice notice--good', role: 'status' }, notice);
  notice = null;
  return shown;
}

function context(params, url) {
  const account = viewer?.account;
  return {
    api,
    viewer,
    params,
    url,
    formats: new Formats(account ?? {}),
    navigate: (path, options) => router.navigate(path, options),
    notify: (message) => { notice = message; },
    /** The viewer again, after a change it shows (e.g. the on-hold notice). */
    refresh: () => { viewer = null; },
    signedIn: (token, expiresAt) => {
      session.start(token, expiresAt);
      viewer = null;
      return router.navigate('/', { replace: true });
    },
  };
}

async function signOut() {
  try {
    await api.run('SignOut');
  } catch {
    // The token is dropped here whatever the server says.
  }
  forget();
  router.navigate('/sign-in?signed-out=1');
}

function renderFrame(pathname) {
  if (!viewer) {
    replaceContent(header, h('div', { class: 'site-header__inner' },
      h('p', { class: 'brand' }, 'Client dashboard')));
    replaceContent(footer);
    return;
  }
  const menu = routes.filter((entry) => entry.nav).map((entry) => h('li', {},
    h('a', { href: entry.path, 'aria-current': isCurrent(entry, pathname) ? 'page' : null }, entry.nav)));
  const fullName = viewer.contact ? `${viewer.contact.firstName} ${viewer.contact.lastName}`.trim() : '';
  // A residential client is the person: their name once is enough.
  const person = fullName === viewer.client.displayName ? '' : fullName;
  replaceContent(header,
    viewer.isStaffPreview ? h('p', { class: 'preview-banner', role: 'note' },
      h('strong', {}, 'Staff view — read only.'),
      ' You see this dashboard as the client does; nothing can be changed here.') : null,
    h('div', { class: 'site-header__inner' },
      h('div', { class: 'brand' },
        h('span', { class: 'brand__business' }, viewer.account.name),
        h('span', { class: 'brand__client' }, viewer.client.displayName)),
      h('div', { class: 'account-menu' },
        person ? h('span', { class: 'account-menu__person' }, person) : null,
        h('button', { type: 'button', class: 'button button--quiet', onclick: signOut }, 'Sign out'))),
    h('nav', { class: 'main-menu', 'aria-label': 'Main' }, h('ul', {}, menu)));
  replaceContent(footer, h('p', {}, `Questions about your account? Contact ${viewer.account.name}.`));
}

router.start();
