export { FindingsPage, FindingsPageContent } from './FindingsPage';
export { FindingsContent } from './FindingsContent';
