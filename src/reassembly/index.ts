// The reference receiver engine (ANALYSIS.md 1-4): connections, credit, SEQPACKET records.
export { Engine } from './engine.js';
export { HOLD_CAP } from './event-queue.js';
export { LOST_RECORDS_CAP } from './v4-records.js';
export { CONN_STATES, RECORD_REASONS } from './types.js';
export type {
  ConnState, ConnSummary, Dialect, DirSummary, EngineEvent, EngineOptions, EngineSummary, RecordCounts, RecordReason, RecordResult, RecordSink, RecordStatus,
} from './types.js';
