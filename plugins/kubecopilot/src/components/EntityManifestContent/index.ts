export { EntityManifestContent } from './EntityManifestContent';
