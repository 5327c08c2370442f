import { payloadHexLines } from '../present/hex.js';
import { fit } from '../present/text.js';
import { clampTop } from '../state/moves.js';
import { shownFrame, type PaneProps } from './detail-pane.js';
import { Filler, Line, Title } from './line.js';

/** The selected frame's payload, hex and printable ASCII. */
export function HexPane({ session, state, height, color }: PaneProps) {
  const width = state.size.columns;
  const n = shownFrame(session, state);
  const frame = n === undefined ? undefined : session.frame(n);
  const lines = frame === undefined ? [] : payloadHexLines(frame);
  const top = clampTop(state.hexTop, lines.length, height);
  const shown = lines.slice(top, top + height);
  const title = frame === undefined ? 'Payload' : `Payload: ${frame.payloadCaptured} bytes captured`;
  return (
    <>
      <Title text={title} width={width} focused={state.pane === 'hex'} color={color} />
      {shown.map((text, i) => <Line key={i} text={fit(text, width)} color={color} />)}
      {frame !== undefined && lines.length === 0 && <Line text="no payload" color={color} dim />}
      <Filler count={height - shown.length - (frame !== undefined && lines.length === 0 ? 1 : 0)} />
    </>
  );
}
