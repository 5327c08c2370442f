// The reference receiver engine (ANALYSIS.md 1-4): connections, credit, SEQPACKET records.
export { Engine, HOLD_CAP, LOST_RECORDS_CAP } from './engine.js';
export type {
  ConnState, ConnSummary, Dialect, DirSummary, EngineEvent, EngineOptions, EngineSummary, RecordCounts, RecordResult, RecordStatus,
} from './types.js';
