// Dumpster services over time: upcoming and past tasks, and project jobs.
import { facts, h } from '../lib/dom.js';
import { address, label } from '../lib/labels.js';
import { badge, empty, heading, unavailable } from './common.js';

const SHOWN = 50;

export default async function servicesPage({ api, formats, viewer }) {
  const result = await api.run('Services', { first: SHOWN });
  const client = result.data.viewer.client;
  const code = (name) => result.codeAt('viewer', 'client', name);
  return {
    title: 'Services',
    content: [
      heading('Services', h('p', { class: 'lead' }, 'Your dumpster deliveries, pickups and projects.')),
      client.billing?.onHold ? null : serviceActions(viewer),
      client.serviceRequests?.nodes.length
        ? section('Your requests', 'requests-title', client.serviceRequests, null, '', (request) => requestItem(request, formats))
        : null,
      section('Upcoming', 'upcoming-title', client.upcoming, code('upcoming'),
        'Nothing is scheduled.', (task) => taskItem(task, formats)),
      section('Past', 'past-title', client.past, code('past'),
        'No services yet.', (task) => taskItem(task, formats)),
      section('Projects', 'projects-title', client.jobs, code('jobs'),
        'No projects.', (job) => jobItem(job, formats)),
    ],
  };
}

function section(title, id, connection, code, none, item) {
  let body;
  if (!connection) body = unavailable(code);
  else if (!connection.nodes.length) body = empty(none);
  else {
    body = [h('ul', { class: 'cards', 'aria-labelledby': id },
      connection.nodes.map((node) => h('li', { class: 'card' }, item(node)))),
    connection.totalCount > connection.nodes.length
      ? h('p', { class: 'meta' }, `Showing ${connection.nodes.length} of ${connection.totalCount}.`) : null];
  }
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), body);
}

function taskItem(task, formats) {
  const when = task.completedAt ? formats.dateTime(task.completedAt) : formats.date(task.scheduledOn);
  const tons = (task.weightTickets ?? []).map((ticket) => `${formats.number(ticket.netTons)} t (ticket ${ticket.ticketNumber}, ${ticket.facility})`);
  const rental = task.rental;
  return [
    h('h3', { class: 'card__title' }, `${label(task.kind)}: ${task.containerSize} yd dumpster`),
    h('p', { class: 'card__line' }, badge(task.status), h('span', {}, task.scheduledOn || task.completedAt ? when : 'Date to be set')),
    facts([
      ['Address', address(task.serviceAddress)],
      ['Material', label(task.material)],
      ['Weighed', tons.length ? tons.join('; ') : null],
      ['Days on site', rental ? rentalDays(rental) : null],
    ]),
  ];
}

function rentalDays(rental) {
  if (rental.includedDays === null) return `${rental.daysOnSite}`;
  const extra = rental.extraDays ? `, ${rental.extraDays} extra` : '';
  return `${rental.daysOnSite} (${rental.includedDays} included${extra})`;
}

function jobItem(job, formats) {
  const window = job.windowStart ? `${formats.dateTime(job.windowStart)} – ${formats.dateTime(job.windowEnd)}` : 'Not yet scheduled';
  return [
    h('h3', { class: 'card__title' }, `${label(job.kind)}: ${job.title}`),
    h('p', { class: 'card__line' }, badge(job.status), h('span', { class: 'card__amount' }, formats.money(job.total))),
    facts([
      ['When', job.completedAt ? `Completed ${formats.dateTime(job.completedAt)}` : window],
      ['Address', job.serviceAddress ? address(job.serviceAddress) : null],
    ]),
  ];
}

/** Ordering and requesting; a staff preview sees neither. */
export function serviceActions(viewer) {
  if (viewer.isStaffPreview) return null;
  return h('p', { class: 'button-row' },
    h('a', { class: 'button', href: '/services/request' }, 'Request a service'),
    viewer.rentalAvailable ? h('a', { class: 'button button--quiet', href: '/services/rental' }, 'Schedule a rental') : null);
}

function requestItem(request, formats) {
  return [
    h('h3', { class: 'card__title' }, `${label(request.kind)} request`),
    h('p', { class: 'card__line' }, badge(request.status), h('span', { class: 'meta' }, `Sent ${formats.dateTime(request.createdAt)}`)),
    facts([
      ['Preferred day', request.preferredOn ? formats.date(request.preferredOn) : null],
      ['Address', request.serviceAddress ? address(request.serviceAddress) : null],
      ['Notes', request.notes],
    ]),
  ];
}
