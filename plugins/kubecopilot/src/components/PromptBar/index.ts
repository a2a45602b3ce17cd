export { PromptBar } from './PromptBar';
export type { PromptBarProps } from './PromptBar';
