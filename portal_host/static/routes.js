// Every page of the dashboard, by path. A page module's default export takes
// the page context and answers { title, content }.
//
// Phase 2 action pages slot in as entries here, each with its operations in
// portal_host/operations, for example:
//   { path: '/estimates/:id/accept', title: 'Accept estimate', isAction: true,
//     load: () => import('./pages/accept-estimate.js') }
// `isAction` pages are refused in a staff preview, which is read-only.

export const routes = [
  { path: '/sign-in', title: 'Sign in', isPublic: true, load: () => import('./pages/sign-in.js') },
  { path: '/', title: 'Overview', nav: 'Overview', load: () => import('./pages/overview.js') },
  { path: '/estimates', title: 'Estimates', nav: 'Estimates', load: () => import('./pages/estimates.js') },
  { path: '/estimates/:id', title: 'Estimate', load: () => import('./pages/estimate.js') },
  { path: '/invoices', title: 'Invoices', nav: 'Invoices', load: () => import('./pages/invoices.js') },
  { path: '/invoices/:id', title: 'Invoice', load: () => import('./pages/invoice.js') },
  { path: '/services', title: 'Services', nav: 'Services', load: () => import('./pages/services.js') },
  { path: '/documents', title: 'Documents', nav: 'Documents', load: () => import('./pages/documents.js') },
];

export const notFound = {
  path: null, title: 'Page not found', load: () => import('./pages/not-found.js'),
};

/** Where a menu entry counts as current: its own path and the pages below it. */
export function isCurrent(entry, pathname) {
  return entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(`${entry.path}/`);
}
