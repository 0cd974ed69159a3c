// Every page of the dashboard, by path. A page module's default export takes
// the page context and answers { title, content }.
//
// `isAction` pages change something (pay, request, schedule); a staff
// preview, which is read-only, gets the read-only page in their place. The
// pages it may open hide or disable their own actions.

export const routes = [
  { path: '/sign-in', title: 'Sign in', isPublic: true, load: () => import('./pages/sign-in.js') },
  { path: '/preview', title: 'Staff preview', isPublic: true, load: () => import('./pages/preview.js') },
  { path: '/', title: 'Overview', nav: 'Overview', load: () => import('./pages/overview.js') },
  { path: '/estimates', title: 'Estimates', nav: 'Estimates', load: () => import('./pages/estimates.js') },
  { path: '/estimates/:id', title: 'Estimate', load: () => import('./pages/estimate.js') },
  { path: '/invoices', title: 'Invoices', nav: 'Invoices', load: () => import('./pages/invoices.js') },
  { path: '/invoices/:id', title: 'Invoice', load: () => import('./pages/invoice.js') },
  { path: '/invoices/:id/pay', title: 'Pay invoice', isAction: true, load: () => import('./pages/pay.js') },
  { path: '/services', title: 'Services', nav: 'Services', load: () => import('./pages/services.js') },
  { path: '/services/request', title: 'Request a service', isAction: true, load: () => import('./pages/request-service.js') },
  { path: '/services/rental', title: 'Schedule a rental', isAction: true, load: () => import('./pages/schedule-rental.js') },
  { path: '/documents', title: 'Documents', nav: 'Documents', load: () => import('./pages/documents.js') },
  { path: '/documents/:id', title: 'Document', load: () => import('./pages/document.js') },
  { path: '/payment-methods', title: 'Payment methods', nav: 'Payment methods', load: () => import('./pages/payment-methods.js') },
  { path: '/preferences', title: 'Preferences', nav: 'Preferences', load: () => import('./pages/preferences.js') },
];

export const notFound = {
  path: null, title: 'Page not found', load: () => import('./pages/not-found.js'),
};

export const readOnly = {
  path: null, title: 'Staff view — read only', load: () => import('./pages/read-only.js'),
};

/** Where a menu entry counts as current: its own path and the pages below it. */
export function isCurrent(entry, pathname) {
  return entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(`${entry.path}/`);
}
