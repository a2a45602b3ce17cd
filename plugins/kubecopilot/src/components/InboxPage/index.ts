export { InboxPage, InboxPageContent } from './InboxPage';
export { InboxContent } from './InboxContent';
