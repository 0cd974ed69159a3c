import { facts, h } from '../lib/dom.js';
import { label } from '../lib/labels.js';
import { PAGE_SIZE, badge, empty, heading, pagedList, unavailable } from './common.js';

export default async function documentsPage({ api, formats }) {
  const fetchPage = async (after) => {
    const result = await api.run('Documents', { first: PAGE_SIZE, after });
    return { connection: result.data.viewer.client.documents, code: result.codeAt('viewer', 'client', 'documents') };
  };
  const { connection, code } = await fetchPage(null);
  const intro = heading('Documents', h('p', { class: 'lead' }, 'Agreements and terms the business sent you.'));
  if (!connection) return { title: 'Documents', content: [intro, unavailable(code)] };
  if (!connection.nodes.length) return { title: 'Documents', content: [intro, empty('No documents were sent to you.')] };
  const item = (document) => [
    h('h2', { class: 'card__title' }, h('a', { href: `/documents/${encodeURIComponent(document.id)}` }, document.title)),
    h('p', { class: 'card__line' }, badge(document.status), h('span', { class: 'meta' }, label(document.kind))),
    facts([
      ['Sent', formats.dateTime(document.sentAt)],
      ['Signature', document.requiresSignature ? (document.signedAt ? null : 'Your signature is requested: open it to sign') : 'Not needed'],
      ['Signed', document.signedAt ? `${formats.dateTime(document.signedAt)} by ${document.signerName ?? '—'}` : null],
    ]),
  ];
  return {
    title: 'Documents',
    content: [intro, pagedList({
      label: 'Your documents', first: connection, item,
      fetchPage: async (after) => (await fetchPage(after)).connection,
    })],
  };
}
