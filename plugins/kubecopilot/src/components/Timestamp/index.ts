export { Timestamp, isIsoTimestamp } from './Timestamp';
