export { HomePage, HomePageContent, KubecopilotHomeContent } from './HomePage';
