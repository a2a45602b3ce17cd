export { EntityEventsTimeline } from './EntityEventsTimeline';
